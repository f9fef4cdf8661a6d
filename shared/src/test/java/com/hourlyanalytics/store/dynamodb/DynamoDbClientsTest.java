package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

class DynamoDbClientsTest {

    private static DynamoDbException serviceError(String code, int status) {
        return (DynamoDbException) DynamoDbException.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
                .build();
    }

    @Test
    void isThrottling_provisionedThroughputExceeded_isRetriable() {
        assertThat(DynamoDbClients.isThrottling(serviceError("ProvisionedThroughputExceededException", 400))).isTrue();
    }

    @Test
    void isThrottling_internalServerError_isNotRetried() {
        // A 500 may have been applied: retrying an ADD could count twice.
        assertThat(DynamoDbClients.isThrottling(serviceError("InternalServerError", 500))).isFalse();
    }

    @Test
    void isConnectionRefused_refusedConnection_isRetriable() {
        var error = SdkClientException.create("unable to execute", new UncheckedIOException(new ConnectException("refused")));
        assertThat(DynamoDbClients.isConnectionRefused(error)).isTrue();
    }

    @Test
    void isConnectionRefused_readTimeout_isNotRetried() {
        var error = SdkClientException.create("unable to execute", new SocketTimeoutException("Read timed out"));
        assertThat(DynamoDbClients.isConnectionRefused(error)).isFalse();
    }
}
