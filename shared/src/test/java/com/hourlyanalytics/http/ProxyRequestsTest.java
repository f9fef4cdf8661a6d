package com.hourlyanalytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.model.PartnerKeys;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyRequestsTest {

    @Test
    void body_base64OfInvalidUtf8_isRefusedNotMergedIntoOneUser() {
        // "caf\xE9" and "caf\xE8" (Latin-1 bytes): replacing each with U+FFFD would make both the same user.
        for (byte last : new byte[]{(byte) 0xE9, (byte) 0xE8}) {
            byte[] line = ("1709287200001,caf" + (char) 0 + ",click").getBytes(StandardCharsets.US_ASCII);
            line[17] = last;
            var event = base64Body(line);

            assertThatThrownBy(() -> ProxyRequests.body(event))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.reason()).isEqualTo("invalid_body"))
                    .hasMessage("request body is not valid UTF-8");
        }
    }

    @Test
    void body_base64OfUtf8_isDecoded() {
        assertThat(ProxyRequests.body(base64Body("1709287200001,café,click".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("1709287200001,café,click");
    }

    @Test
    void partner_isTheKeyIdsPartnerNeverTheKeyValue() {
        var event = withIdentity(new KeyedIdentity().withApiKeyId("k1").withApiKey("secret-value"));

        assertThat(ProxyRequests.partner(event, PartnerKeys.OPEN)).isEqualTo(new Partner("k1"));
        assertThat(ProxyRequests.partner(event, PartnerKeys.parse("k1=acme"))).isEqualTo(new Partner("acme"));
    }

    @Test
    void partner_noContextNoIdentityOrNoKeyId_whenClosed_is403NamingTheMissingKeyId_evenWithAKeyValue() {
        var keyValueOnly = withIdentity(new KeyedIdentity().withApiKey("secret-value"));
        for (var event : List.of(new APIGatewayProxyRequestEvent(), withIdentity(null), keyValueOnly,
                withIdentity(new KeyedIdentity().withApiKeyId("")))) {
            assertThatThrownBy(() -> ProxyRequests.partner(event, PartnerKeys.CLOSED))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.reason()).isEqualTo(ProxyRequests.MISSING_API_KEY_ID);
                    })
                    .hasMessage("request has no API key id (requestContext.identity.apiKeyId); call the API with an x-api-key header");
        }
    }

    @Test
    void partner_noContextNoIdentityOrNoKeyId_whenOpen_isTheDefaultPartner() {
        assertThat(ProxyRequests.partner(new APIGatewayProxyRequestEvent(), PartnerKeys.OPEN)).isSameAs(Partner.DEFAULT);
        assertThat(ProxyRequests.partner(withIdentity(null), PartnerKeys.OPEN)).isSameAs(Partner.DEFAULT);
        assertThat(ProxyRequests.partner(withIdentity(new RequestIdentity().withSourceIp("203.0.113.1")), PartnerKeys.OPEN))
                .isSameAs(Partner.DEFAULT);
    }

    @Test
    void partner_keyIdThatCannotNameAPartner_is400() {
        var event = withIdentity(new KeyedIdentity().withApiKeyId("x".repeat(129)));

        assertThatThrownBy(() -> ProxyRequests.partner(event, PartnerKeys.OPEN))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("the API key's id cannot name a partner: partner id is longer than 128 UTF-8 bytes");
    }

    private static APIGatewayProxyRequestEvent base64Body(byte[] body) {
        return new APIGatewayProxyRequestEvent().withIsBase64Encoded(true).withBody(Base64.getEncoder().encodeToString(body));
    }

    private static APIGatewayProxyRequestEvent withIdentity(RequestIdentity identity) {
        return new APIGatewayProxyRequestEvent().withRequestContext(new ProxyRequestContext().withIdentity(identity));
    }
}
