package com.hourlyanalytics.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.http.ProxyRequests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The repository's events/*.json (the files `sam local invoke -e` takes), and variations of them for tests. */
public final class ApiEvents {

    private ApiEvents() {
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    /** The event as the functions read it (ProxyEventJson), so its identity keeps the apiKeyId. */
    public static APIGatewayProxyRequestEvent load(String name) {
        try (InputStream in = Files.newInputStream(repoRoot().resolve("events").resolve(name))) {
            return ProxyEventJson.readRequest(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A proxy event with the given method and query pairs ("name", "value", ...), filled as API Gateway fills it. */
    public static APIGatewayProxyRequestEvent request(String method, String... nameValuePairs) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            multi.computeIfAbsent(nameValuePairs[i], k -> new ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        return ProxyRequests.event(method, ProxyRequests.ANALYTICS, multi);
    }
}
