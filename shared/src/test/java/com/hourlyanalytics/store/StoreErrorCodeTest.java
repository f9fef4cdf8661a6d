package com.hourlyanalytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

class StoreErrorCodeTest {

    @ParameterizedTest
    @CsvSource({
            "AccessDeniedException, 400, AccessDeniedException, fault",
            "ValidationException, 400, ValidationException, fault",
            "ResourceNotFoundException, 400, ResourceNotFoundException, fault",
            "ProvisionedThroughputExceededException, 400, ProvisionedThroughputExceededException, availability",
            "ThrottlingException, 400, ThrottlingException, availability",
            "InternalServerError, 500, InternalServerError, availability",
            // Unknown codes keep the dimension bounded: a 5xx is the store's, anything else ours to look at.
            "SomeNewException, 400, Other, fault",
            "SomeNewOutage, 503, OtherServerError, availability",
            // Our own names are not DynamoDB codes: a service answer with one of them is unknown.
            "ApiCallTimeout, 400, Other, fault"})
    void of_serviceError_keepsDynamoDbsCodeOrABoundedName(String awsCode, int status, String code, String errorClass) {
        var failure = DynamoDbException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(awsCode).build()).build();

        StoreErrorCode classified = new StoreUnavailableException("call failed", failure).errorCode();

        assertThat(classified.dimensionValue()).isEqualTo(code);
        assertThat(classified.errorClass()).isEqualTo(errorClass);
    }

    @Test
    void of_clientSideFailures_areNamedAndCountAsAvailability() {
        assertThat(StoreErrorCode.of(ApiCallTimeoutException.create(2000))).isEqualTo(StoreErrorCode.API_CALL_TIMEOUT);
        assertThat(StoreErrorCode.of(ApiCallAttemptTimeoutException.create(1000))).isEqualTo(StoreErrorCode.API_CALL_ATTEMPT_TIMEOUT);
        assertThat(StoreErrorCode.of(SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused"))))
                .isEqualTo(StoreErrorCode.CONNECTION_FAILED);
        assertThat(StoreErrorCode.CONNECTION_FAILED.errorClass()).isEqualTo("availability");
    }

    @Test
    void of_nothingKnown_isOther() {
        assertThat(StoreErrorCode.of(null)).isEqualTo(StoreErrorCode.OTHER);
        assertThat(StoreErrorCode.of(SdkClientException.create("no credentials"))).isEqualTo(StoreErrorCode.OTHER);
    }

    @Test
    void dimensionValues_areDistinctAndFew() {
        assertThat(Arrays.stream(StoreErrorCode.values()).map(StoreErrorCode::dimensionValue)).doesNotHaveDuplicates().hasSizeLessThan(20);
    }
}
