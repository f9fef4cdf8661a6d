package com.hourlyanalytics.http;

import static com.hourlyanalytics.http.JsonFields.expect;
import static com.hourlyanalytics.http.JsonFields.number;
import static com.hourlyanalytics.http.JsonFields.text;
import static com.hourlyanalytics.http.JsonFields.writeText;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import java.io.IOException;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;

/** A proxy event's {@code requestContext} and its caller {@code identity}, read and written for {@link ProxyEventJson}. */
final class RequestContextJson {

    private RequestContextJson() {
    }

    static ProxyRequestContext read(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser.currentToken(), JsonToken.START_OBJECT, "requestContext");
        ProxyRequestContext context = new ProxyRequestContext();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "accountId" -> context.setAccountId(text(parser, field));
                case "stage" -> context.setStage(text(parser, field));
                case "resourceId" -> context.setResourceId(text(parser, field));
                case "requestId" -> context.setRequestId(text(parser, field));
                case "operationName" -> context.setOperationName(text(parser, field));
                case "resourcePath" -> context.setResourcePath(text(parser, field));
                case "httpMethod" -> context.setHttpMethod(text(parser, field));
                case "apiId" -> context.setApiId(text(parser, field));
                case "path" -> context.setPath(text(parser, field));
                case "extendedRequestId" -> context.setExtendedRequestId(text(parser, field));
                case "requestTime" -> context.setRequestTime(text(parser, field));
                case "requestTimeEpoch" -> context.setRequestTimeEpoch(number(parser, field));
                case "domainName" -> context.setDomainName(text(parser, field));
                case "domainPrefix" -> context.setDomainPrefix(text(parser, field));
                case "protocol" -> context.setProtocol(text(parser, field));
                case "identity" -> context.setIdentity(identity(parser));
                default -> parser.skipChildren();
            }
        }
        return context;
    }

    private static KeyedIdentity identity(JsonParser parser) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser.currentToken(), JsonToken.START_OBJECT, "identity");
        KeyedIdentity identity = new KeyedIdentity();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "sourceIp" -> identity.setSourceIp(text(parser, field));
                case "userAgent" -> identity.setUserAgent(text(parser, field));
                case "apiKey" -> identity.setApiKey(text(parser, field));
                case "apiKeyId" -> identity.setApiKeyId(text(parser, field));
                default -> parser.skipChildren();
            }
        }
        return identity;
    }

    /** Writes nothing for a null context, as Lambda's serializer leaves absent fields out. */
    static void write(JsonGenerator json, ProxyRequestContext context) throws IOException {
        if (context == null) {
            return;
        }
        json.writeObjectFieldStart("requestContext");
        writeText(json, "accountId", context.getAccountId());
        writeText(json, "stage", context.getStage());
        writeText(json, "resourceId", context.getResourceId());
        writeText(json, "requestId", context.getRequestId());
        writeText(json, "operationName", context.getOperationName());
        writeText(json, "resourcePath", context.getResourcePath());
        writeText(json, "httpMethod", context.getHttpMethod());
        writeText(json, "apiId", context.getApiId());
        writeText(json, "path", context.getPath());
        writeText(json, "extendedRequestId", context.getExtendedRequestId());
        writeText(json, "requestTime", context.getRequestTime());
        if (context.getRequestTimeEpoch() != null) {
            json.writeNumberField("requestTimeEpoch", context.getRequestTimeEpoch());
        }
        writeText(json, "domainName", context.getDomainName());
        writeText(json, "domainPrefix", context.getDomainPrefix());
        writeText(json, "protocol", context.getProtocol());
        RequestIdentity identity = context.getIdentity();
        if (identity != null) {
            json.writeObjectFieldStart("identity");
            writeText(json, "sourceIp", identity.getSourceIp());
            writeText(json, "userAgent", identity.getUserAgent());
            writeText(json, "apiKey", identity.getApiKey());
            writeText(json, "apiKeyId", KeyedIdentity.apiKeyId(identity));
            json.writeEndObject();
        }
        json.writeEndObject();
    }
}
