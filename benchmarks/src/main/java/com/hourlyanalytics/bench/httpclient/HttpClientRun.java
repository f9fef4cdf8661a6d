package com.hourlyanalytics.bench.httpclient;

import com.hourlyanalytics.bench.ChildJvm;
import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One run, in a fresh JVM: builds the functions' DynamoDB client on the named HTTP client, makes its first call,
 * then times warm GetItem and UpdateItem calls. Usage: HttpClientRun CLIENT ENDPOINT TABLE CALLS
 */
public final class HttpClientRun {

    private static final int WARM_UP_CALLS = 500;

    private HttpClientRun() {
    }

    static SdkHttpClient.Builder<?> httpClient(String name) {
        return switch (name) {
            case "url-connection" -> UrlConnectionHttpClient.builder()
                    .connectionTimeout(DynamoDbClients.CONNECT_TIMEOUT).socketTimeout(DynamoDbClients.ATTEMPT_TIMEOUT);
            case "apache" -> ApacheHttpClient.builder()
                    .connectionTimeout(DynamoDbClients.CONNECT_TIMEOUT).socketTimeout(DynamoDbClients.ATTEMPT_TIMEOUT);
            case "crt" -> AwsCrtHttpClient.builder().connectionTimeout(DynamoDbClients.CONNECT_TIMEOUT);
            default -> throw new IllegalArgumentException("unknown client " + name);
        };
    }

    public static void main(String[] args) {
        String name = args[0];
        StoreSettings settings = StoreSettings.fromEnvironment(Map.of(
                StoreSettings.TABLE_NAME, args[2], StoreSettings.DYNAMODB_ENDPOINT, args[1]));
        int calls = Integer.parseInt(args[3]);
        var getKey = Map.of("pk", AttributeValue.fromS("bench#get"));
        var updateKey = Map.of("pk", AttributeValue.fromS("bench#update#" + name));

        long start = System.nanoTime();
        DynamoDbClient client = DynamoDbClients.create(settings, List.of(), httpClient(name));
        long built = System.nanoTime();
        client.getItem(b -> b.tableName(settings.tableName()).key(getKey).consistentRead(true));
        long firstCall = System.nanoTime();

        Runnable get = () -> client.getItem(b -> b.tableName(settings.tableName()).key(getKey).consistentRead(true));
        Runnable update = () -> client.updateItem(b -> b.tableName(settings.tableName()).key(updateKey)
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        time(get, WARM_UP_CALLS);
        time(update, WARM_UP_CALLS);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        Histogram gets = time(get, calls);
        Histogram updates = time(update, calls);
        long cpuPerCall = (threads.getCurrentThreadCpuTime() - cpuStart) / (2L * calls);
        client.close();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("initMs", Stats.format(Stats.millis(built - start)));
        result.put("firstCallMs", Stats.format(Stats.millis(firstCall - built)));
        result.put("getP50Ms", Stats.format(Stats.percentileMillis(gets, 50)));
        result.put("getP99Ms", Stats.format(Stats.percentileMillis(gets, 99)));
        result.put("updateP50Ms", Stats.format(Stats.percentileMillis(updates, 50)));
        result.put("updateP99Ms", Stats.format(Stats.percentileMillis(updates, 99)));
        // CPU the calling thread spent per warm call: tells client work from waiting on the socket.
        result.put("cpuPerCallMs", Stats.format(Stats.millis(cpuPerCall)));
        ChildJvm.report(result);
    }

    private static Histogram time(Runnable call, int count) {
        Histogram nanos = Stats.histogram();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            call.run();
            nanos.recordValue(System.nanoTime() - start);
        }
        return nanos;
    }
}
