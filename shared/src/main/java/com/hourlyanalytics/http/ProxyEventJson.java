package com.hourlyanalytics.http;

import static com.hourlyanalytics.http.JsonFields.JSON;
import static com.hourlyanalytics.http.JsonFields.bool;
import static com.hourlyanalytics.http.JsonFields.integer;
import static com.hourlyanalytics.http.JsonFields.listMap;
import static com.hourlyanalytics.http.JsonFields.readObject;
import static com.hourlyanalytics.http.JsonFields.text;
import static com.hourlyanalytics.http.JsonFields.textMap;
import static com.hourlyanalytics.http.JsonFields.writeListMap;
import static com.hourlyanalytics.http.JsonFields.writeText;
import static com.hourlyanalytics.http.JsonFields.writeTextMap;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;

/**
 * The REST proxy event and its response as JSON, for handlers that take Lambda's raw stream (and, the other
 * way round, for callers that invoke them as Lambda does). It replaces the
 * runtime's event serializer, which builds a Jackson mapper per event class and needs joda-time on the class
 * path; it uses the streaming parser the SDK already ships (its JSON protocol loads it on the first store call),
 * so it adds no bytes to the jars.
 * <p>
 * Reads every top-level field, the request context's text fields and, of its {@code identity}, the caller's IP,
 * user agent and API key (value and id: the id names the partner); it skips the {@code authorizer} claims, which
 * the API never reads, and fields it does not know.
 */
public final class ProxyEventJson {

    private ProxyEventJson() {
    }

    /** @throws MalformedEventException when the stream is not a proxy event's JSON object */
    public static APIGatewayProxyRequestEvent readRequest(InputStream in) throws IOException {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        readObject(in, "event", (parser, field) -> {
            switch (field) {
                case "version" -> event.setVersion(text(parser, field));
                case "resource" -> event.setResource(text(parser, field));
                case "path" -> event.setPath(text(parser, field));
                case "httpMethod" -> event.setHttpMethod(text(parser, field));
                case "headers" -> event.setHeaders(textMap(parser, field));
                case "multiValueHeaders" -> event.setMultiValueHeaders(listMap(parser, field));
                case "queryStringParameters" -> event.setQueryStringParameters(textMap(parser, field));
                case "multiValueQueryStringParameters" -> event.setMultiValueQueryStringParameters(listMap(parser, field));
                case "pathParameters" -> event.setPathParameters(textMap(parser, field));
                case "stageVariables" -> event.setStageVariables(textMap(parser, field));
                case "requestContext" -> event.setRequestContext(RequestContextJson.read(parser));
                case "body" -> event.setBody(text(parser, field));
                case "isBase64Encoded" -> event.setIsBase64Encoded(bool(parser, field));
                default -> parser.skipChildren();
            }
        });
        return event;
    }

    /** Writes the fields that are set, as Lambda's serializer does (API Gateway treats absent and null alike). */
    public static void writeResponse(APIGatewayProxyResponseEvent response, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (response.getStatusCode() != null) {
                json.writeNumberField("statusCode", response.getStatusCode());
            }
            writeTextMap(json, "headers", response.getHeaders());
            writeListMap(json, "multiValueHeaders", response.getMultiValueHeaders());
            writeText(json, "body", response.getBody());
            if (response.getIsBase64Encoded() != null) {
                json.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
            }
            json.writeEndObject();
        }
    }

    /** What API Gateway's side does: for callers that invoke a function as Lambda would (probes, runners). */
    public static void writeRequest(APIGatewayProxyRequestEvent event, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            writeText(json, "version", event.getVersion());
            writeText(json, "resource", event.getResource());
            writeText(json, "path", event.getPath());
            writeText(json, "httpMethod", event.getHttpMethod());
            writeTextMap(json, "headers", event.getHeaders());
            writeListMap(json, "multiValueHeaders", event.getMultiValueHeaders());
            writeTextMap(json, "queryStringParameters", event.getQueryStringParameters());
            writeListMap(json, "multiValueQueryStringParameters", event.getMultiValueQueryStringParameters());
            writeTextMap(json, "pathParameters", event.getPathParameters());
            writeTextMap(json, "stageVariables", event.getStageVariables());
            RequestContextJson.write(json, event.getRequestContext());
            writeText(json, "body", event.getBody());
            if (event.getIsBase64Encoded() != null) {
                json.writeBooleanField("isBase64Encoded", event.getIsBase64Encoded());
            }
            json.writeEndObject();
        }
    }

    /** @throws MalformedEventException when the stream is not a proxy response's JSON object */
    public static APIGatewayProxyResponseEvent readResponse(InputStream in) throws IOException {
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent();
        readObject(in, "response", (parser, field) -> {
            switch (field) {
                case "statusCode" -> response.setStatusCode(integer(parser, field));
                case "headers" -> response.setHeaders(textMap(parser, field));
                case "multiValueHeaders" -> response.setMultiValueHeaders(listMap(parser, field));
                case "body" -> response.setBody(text(parser, field));
                case "isBase64Encoded" -> response.setIsBase64Encoded(bool(parser, field));
                default -> parser.skipChildren();
            }
        });
        return response;
    }

    /** The invocation did not carry a proxy event (or response): a caller's bug, never a partner's request. */
    public static final class MalformedEventException extends IllegalArgumentException {
        MalformedEventException(String message) {
            super("malformed API Gateway proxy event: " + message);
        }
    }
}
