package com.hourlyanalytics.store.dynamodb;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the one DynamoDB client a function uses. Timeouts and retries are chosen so that a dead or
 * stalled store turns into a 503 within about two seconds, and so that no write is ever retried when
 * the first attempt might have been applied: ADD is not idempotent, so a blind retry could count twice.
 */
public final class DynamoDbClients {

    public static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(1000);
    static final Duration CALL_TIMEOUT = Duration.ofMillis(2000);
    static final int MAX_ATTEMPTS = 3;

    /** DynamoDB rejects these before applying anything, so another attempt cannot double-apply. */
    private static final Set<String> THROTTLING_CODES = Set.of(
            "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded");

    private DynamoDbClients() {
    }

    public static DynamoDbClient create(StoreSettings settings, List<ExecutionInterceptor> interceptors) {
        return create(settings, interceptors, UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(ATTEMPT_TIMEOUT));
    }

    /** The same client on another HTTP client: the benchmarks compare clients with everything else equal. */
    public static DynamoDbClient create(StoreSettings settings, List<ExecutionInterceptor> interceptors,
                                        SdkHttpClient.Builder<?> httpClient) {
        var builder = DynamoDbClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(httpClient)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(retryStrategy())
                        .executionInterceptors(interceptors)
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Retries only what was surely not applied: throttling, and connections that were never made. Without
     * {@code useClientDefaults(false)} the client builder adds the SDK's own conditions (any I/O error, 5xx),
     * and a write whose answer was lost would be sent again: seen under load as users never counted.
     */
    static StandardRetryStrategy retryStrategy() {
        Predicate<Throwable> throttled = DynamoDbClients::isThrottling;
        return StandardRetryStrategy.builder()
                .useClientDefaults(false)
                .maxAttempts(MAX_ATTEMPTS)
                .retryOnException(throttled.or(DynamoDbClients::isConnectionRefused))
                .treatAsThrottling(throttled)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(20), Duration.ofMillis(200)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(50), Duration.ofMillis(400)))
                .circuitBreakerEnabled(false)
                .build();
    }

    static boolean isThrottling(Throwable error) {
        return error instanceof AwsServiceException service
                && (service.isThrottlingException() || THROTTLING_CODES.contains(service.awsErrorDetails().errorCode()));
    }

    static boolean isConnectionRefused(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** An explicit endpoint means a local emulator, which takes any credentials; AWS uses the default chain. */
    private static AwsCredentialsProvider credentials(StoreSettings settings) {
        return settings.endpoint().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.builder().build();
    }
}
