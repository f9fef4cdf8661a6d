package com.hourlyanalytics.deployment;

import com.hourlyanalytics.local.template.CloudFormationYaml;
import static com.hourlyanalytics.deployment.Template.getAtt;
import static com.hourlyanalytics.deployment.Template.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.observability.MetricNames;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.PseudonymKeySecret;
import com.hourlyanalytics.store.dynamodb.Pseudonyms;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * What cfn-lint cannot know about template.yaml: that it fits the code and the jars it deploys, and that it
 * keeps the security and operations promises of issue 3. Runs after {@code mvn package} built the jars.
 */
class TemplateIT {

    private static final String TABLE = "AnalyticsTable";
    private static final String PSEUDONYM_KEY_SECRET = "PseudonymKeySecret";
    private static final String INGEST = "IngestFunction";
    private static final String QUERY = "QueryFunction";
    private static final String LOG_STREAMS = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${%s}:log-stream:*";

    /** Lambda sets these itself and refuses them in a function's configuration. */
    private static final Set<String> LAMBDA_RESERVED_VARIABLES = Set.of(
            "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
            "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
            "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
            "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    private static final Pattern GETENV = Pattern.compile("getenv\\(\\s*(?:\"([^\"]*)\"|([A-Za-z_][\\w.]*))\\s*\\)");

    private final Template template = Template.load();

    @Test
    void handlers_nameAPublicStreamHandleRequestOfAClassInTheJarAtCodeUri() throws Exception {
        Map<String, JsonNode> functions = template.resources("AWS::Serverless::Function");
        assertThat(functions).containsOnlyKeys(INGEST, QUERY);
        for (var function : functions.entrySet()) {
            JsonNode properties = function.getValue().path("Properties");
            Path jar = functionJar(properties);
            String[] handler = properties.path("Handler").asText().split("::");
            assertThat(handler).as("%s Handler is Class::method", function.getKey()).hasSize(2);

            // Only the jar and the JDK: a class found on the test classpath instead would prove nothing.
            try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                Class<?> handlerClass = Class.forName(handler[0], false, loader);
                assertThat(Modifier.isPublic(handlerClass.getModifiers())).as("%s is public", handler[0]).isTrue();
                assertThat(handlerClass.getConstructor()).as("Lambda's no-arg constructor").isNotNull();
                // A stream handler: the runtime hands it the raw event JSON, so its own event serializer never runs.
                Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, loader);
                assertThat(streamHandler).isAssignableFrom(handlerClass);
                Method entryPoint = handlerClass.getMethod(handler[1], InputStream.class, OutputStream.class,
                        Class.forName("com.amazonaws.services.lambda.runtime.Context", false, loader));
                assertThat(Modifier.isPublic(entryPoint.getModifiers())).as("%s.%s is public", handler[0], handler[1]).isTrue();
                assertThat(Class.forName(DynamoDbCounterStore.class.getName(), false, loader).getDeclaredConstructors())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void globals_setEveryEnvironmentVariableTheDeployedCodeReads() throws IOException {
        Set<String> read = new TreeSet<>(stringConstants(StoreSettings.class));
        read.addAll(getenvNamesInDeployedSources());
        Set<String> required = new TreeSet<>(read);
        required.removeAll(LAMBDA_RESERVED_VARIABLES);

        Set<String> set = new TreeSet<>();
        template.globalFunction().path("Environment").path("Variables").fieldNames().forEachRemaining(set::add);
        assertThat(set).as("Globals.Function.Environment.Variables").containsAll(required);
        assertThat(set).as("variables Lambda reserves").doesNotContainAnyElementsOf(LAMBDA_RESERVED_VARIABLES);
        JsonNode variables = template.globalFunction().path("Environment").path("Variables");
        assertThat(variables.path(StoreSettings.TABLE_NAME)).isEqualTo(ref(TABLE));
        assertThat(variables.path(StoreSettings.DYNAMODB_ENDPOINT).asText("not text"))
                .as("empty in AWS: the SDK's regional endpoint").isEmpty();
        assertThat(Integer.parseInt(variables.path(StoreSettings.COUNTER_SHARDS).asText()))
                .isBetween(1, StoreSettings.MAX_COUNTER_SHARDS);
        // Finite by default: a visitor's markers go by TTL (docs/capacity.md); TTL is on (the table's test).
        assertThat(Integer.parseInt(variables.path(StoreSettings.MARKER_RETENTION_DAYS).asText()))
                .isEqualTo(StoreSettings.DEFAULT_MARKER_RETENTION_DAYS);
        // SAM names a function version by this block's text: a parameter's new value would reach $LATEST only.
        Set<String> parameters = new TreeSet<>();
        template.root().path("Parameters").fieldNames().forEachRemaining(parameters::add);
        variables.properties().forEach(variable -> assertThat(referencedNames(variable.getValue()))
                .as("%s reads a stack parameter, which never publishes a new version", variable.getKey())
                .doesNotContainAnyElementsOf(parameters));
        // Lambda's java21+ runtimes already tune the JIT for short invocations and SnapStart; flags here would override that.
        assertThat(set).doesNotContain("JAVA_TOOL_OPTIONS");
        for (var function : template.resources("AWS::Serverless::Function").entrySet()) {
            assertThat(function.getValue().path("Properties").has("Environment"))
                    .as("%s keeps the shared Globals environment", function.getKey()).isFalse();
        }
        // Deployed functions fail closed: only the local runner's open mode lets a request without a key id in.
        assertThat(set).as("deployed functions refuse requests without a key id").doesNotContain(PartnerKeys.KEYLESS_VARIABLE);
        assertThat(PartnerKeys.fromEnvironment(Map.of(PartnerKeys.ENVIRONMENT_VARIABLE,
                variables.path(PartnerKeys.ENVIRONMENT_VARIABLE).asText())).allowsKeyless()).isFalse();
    }

    @Test
    void ingestTimeout_isBelowApiGatewaysIntegrationTimeoutAndAboveTheStoresBatchDeadlines() throws ReflectiveOperationException {
        int timeout = template.resource(INGEST).at("/Properties/Timeout").asInt();
        assertThat(timeout).as("ingest Timeout (s), below API Gateway's 29 s integration timeout").isBetween(1, 28);
        // By name, so that the check follows the store's constants: every batch deadline or budget.
        Map<String, Duration> deadlines = new TreeMap<>();
        // The store's recorder is package-private: the budget is its own business, but the template must fit it.
        for (Field field : Class.forName(DynamoDbCounterStore.class.getPackageName() + ".EventRecorder").getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Duration.class && field.getName().startsWith("BATCH_")) {
                field.setAccessible(true);
                deadlines.put(field.getName(), (Duration) field.get(null));
            }
        }
        assertThat(deadlines).as("EventRecorder's BATCH_* durations").isNotEmpty();
        // Time left to send the answer after the last store call gave up.
        deadlines.forEach((name, deadline) -> assertThat(deadline.plusSeconds(2))
                .as("%s + 2 s within the ingest Timeout of %d s", name, timeout).isLessThanOrEqualTo(Duration.ofSeconds(timeout)));
    }

    /** A store that stalls must give the query handler's 503, not a Lambda timeout (a 502 and the Errors alarm). */
    @Test
    void queryTimeout_isAboveTheWorstReadPath() throws ReflectiveOperationException {
        int timeout = template.resource(QUERY).at("/Properties/Timeout").asInt(
                template.root().at("/Globals/Function/Timeout").asInt());
        Field attempts = Class.forName(DynamoDbCounterStore.class.getPackageName() + ".CounterReads")
                .getDeclaredField("MAX_READ_ATTEMPTS");
        Field callTimeout = DynamoDbClients.class.getDeclaredField("CALL_TIMEOUT");
        attempts.setAccessible(true);
        callTimeout.setAccessible(true);
        // Two rounds: the reader's own shards, then those past them that shard 0 names.
        Duration worstRead = ((Duration) callTimeout.get(null)).multipliedBy(2L * attempts.getInt(null));
        assertThat(worstRead.plusSeconds(2)).as("worst read + 2 s within the query Timeout of %d s", timeout)
                .isLessThanOrEqualTo(Duration.ofSeconds(timeout));
    }

    @Test
    void api_throttlesEachMethodAcrossKeysFromParameters_theBatchPostApart() {
        JsonNode settings = template.api().getValue().at("/Properties/MethodSettings");
        assertThat(settings).hasSize(3);
        assertThat(settings.at("/0/ResourcePath").asText()).isEqualTo("/*");
        assertThat(settings.at("/0/HttpMethod").asText()).isEqualTo("*");
        assertThat(settings.at("/0/ThrottlingRateLimit")).isEqualTo(ref("StageThrottleRateLimit"));
        assertThat(settings.at("/0/ThrottlingBurstLimit")).isEqualTo(ref("StageThrottleBurstLimit"));
        // A stage setting writes the path's slashes as ~1.
        assertThat(settings.at("/1/ResourcePath").asText()).isEqualTo("/" + ProxyRequests.ANALYTICS_BATCH.replace("/", "~1"));
        assertThat(settings.at("/1/HttpMethod").asText()).isEqualTo("POST");
        assertThat(settings.at("/1/ThrottlingRateLimit")).isEqualTo(ref("StageBatchThrottleRateLimit"));
        assertThat(settings.at("/1/ThrottlingBurstLimit")).isEqualTo(ref("StageBatchThrottleBurstLimit"));
        assertThat(settings.at("/2/ResourcePath").asText()).isEqualTo("/" + ProxyRequests.ANALYTICS.replace("/", "~1"));
        assertThat(settings.at("/2/HttpMethod").asText()).isEqualTo("GET");
        assertThat(settings.at("/2/ThrottlingRateLimit")).isEqualTo(ref("StageGetThrottleRateLimit"));
        assertThat(settings.at("/2/ThrottlingBurstLimit")).isEqualTo(ref("StageGetThrottleBurstLimit"));
        // The stage limit is the ceiling across keys: a key's own limit above it could never be reached.
        JsonNode parameters = template.root().path("Parameters");
        for (String[] stageAndKey : new String[][] {{"StageThrottle", "Throttle"}, {"StageBatchThrottle", "BatchThrottle"},
                {"StageGetThrottle", "GetThrottle"}}) {
            for (String limit : List.of("RateLimit", "BurstLimit")) {
                assertThat(parameters.at("/" + stageAndKey[0] + limit + "/Default").asInt()).as(stageAndKey[0] + limit)
                        .isGreaterThanOrEqualTo(parameters.at("/" + stageAndKey[1] + limit + "/Default").asInt());
            }
        }
    }

    @Test
    void policies_areExactlyTheLeastPrivilegeSets() {
        // TransactWriteItems is authorized per action: Put, Update, and ConditionCheck (priming). BatchGetItem reads a
        // batch's event ids before it writes; GetItem the marker retention floor and the pseudonym keys' hours; Scan
        // whether a table holds counts from before pseudonyms. Only ingest reads the pseudonym key.
        assertPolicy(INGEST, Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem", "dynamodb:BatchGetItem",
                "dynamodb:GetItem", "dynamodb:Scan"), Map.of("secretsmanager:GetSecretValue", Set.of(ref(PSEUDONYM_KEY_SECRET))));
        assertPolicy(QUERY, Set.of("dynamodb:BatchGetItem"), Map.of());
    }

    @Test
    void pseudonymKey_isGeneratedKeptAndNamedToTheFunctionsNeverWritten() {
        JsonNode secret = template.resource(PSEUDONYM_KEY_SECRET);
        assertThat(secret.path("Type").asText()).isEqualTo("AWS::SecretsManager::Secret");
        // A new key would name every visitor anew: neither a stack delete nor a replacement may drop it.
        assertThat(secret.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(secret.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        assertThat(secret.at("/Properties/GenerateSecretString/PasswordLength").asInt()).isGreaterThanOrEqualTo(Pseudonyms.MIN_KEY_LENGTH);
        assertThat(secret.path("Properties").has("SecretString")).as("the key is generated, never written in the template").isFalse();
        JsonNode variables = template.globalFunction().path("Environment").path("Variables");
        assertThat(variables.path(StoreSettings.PSEUDONYM_KEY_SECRET)).isEqualTo(ref(PSEUDONYM_KEY_SECRET));
        assertThat(variables.path(StoreSettings.PSEUDONYM_KEY_STAGES).asText()).startsWith(PseudonymKeySecret.CURRENT_STAGE);
        assertThat(template.root().at("/Outputs/PseudonymKeySecretArn/Value")).isEqualTo(ref(PSEUDONYM_KEY_SECRET));
    }

    @Test
    void api_requiresAKeyOnEveryRouteAndHasAUsagePlanFromParameters() {
        var api = template.api();
        assertThat(api.getValue().at("/Properties/Auth/ApiKeyRequired").asBoolean()).as("Auth.ApiKeyRequired").isTrue();

        Set<String> routes = new TreeSet<>();
        for (var function : template.resources("AWS::Serverless::Function").entrySet()) {
            function.getValue().at("/Properties/Events").properties().forEach(event -> {
                JsonNode properties = event.getValue().path("Properties");
                assertThat(event.getValue().path("Type").asText()).as("event %s type", event.getKey()).isEqualTo("Api");
                assertThat(properties.path("RestApiId")).as("event %s is on the keyed API", event.getKey()).isEqualTo(ref(api.getKey()));
                assertThat(properties.at("/Auth/ApiKeyRequired").asBoolean(true)).as("event %s needs a key", event.getKey()).isTrue();
                routes.add(properties.path("Method").asText().toUpperCase() + " " + properties.path("Path").asText() + " -> " + function.getKey());
            });
        }
        assertThat(routes).containsExactlyInAnyOrder(
                "ANY " + ProxyRequests.ANALYTICS + " -> " + INGEST,
                "ANY " + ProxyRequests.ANALYTICS_BATCH + " -> " + INGEST,
                "POST " + ProxyRequests.ANALYTICS_BATCH + " -> " + INGEST,
                "GET " + ProxyRequests.ANALYTICS + " -> " + QUERY);

        Map<String, JsonNode> plans = template.resources("AWS::ApiGateway::UsagePlan");
        assertThat(plans).hasSize(1);
        String planId = plans.keySet().iterator().next();
        JsonNode plan = plans.get(planId).path("Properties");
        assertThat(plan.at("/ApiStages/0/ApiId")).isEqualTo(ref(api.getKey()));
        assertThat(plan.at("/ApiStages/0/Stage")).isEqualTo(ref(api.getKey() + ".Stage"));
        assertThat(plan.at("/Throttle/RateLimit")).isEqualTo(ref("ThrottleRateLimit"));
        assertThat(plan.at("/Throttle/BurstLimit")).isEqualTo(ref("ThrottleBurstLimit"));
        assertThat(plan.at("/Quota/Limit")).isEqualTo(ref("QuotaLimit"));
        assertThat(plan.at("/Quota/Period")).isEqualTo(ref("QuotaPeriod"));
        // Per method, as "resource/METHOD": the batch POST and the GET, methods of their own (the routes above).
        JsonNode perMethod = plan.at("/ApiStages/0/Throttle");
        assertThat(perMethod.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder(ProxyRequests.ANALYTICS_BATCH + "/POST", ProxyRequests.ANALYTICS + "/GET");
        assertThat(perMethod.path(ProxyRequests.ANALYTICS_BATCH + "/POST")).isEqualTo(CloudFormationYaml.parse(
                "{RateLimit: {Ref: BatchThrottleRateLimit}, BurstLimit: {Ref: BatchThrottleBurstLimit}}"));
        assertThat(perMethod.path(ProxyRequests.ANALYTICS + "/GET")).isEqualTo(CloudFormationYaml.parse(
                "{RateLimit: {Ref: GetThrottleRateLimit}, BurstLimit: {Ref: GetThrottleBurstLimit}}"));

        Map<String, JsonNode> planKeys = template.resources("AWS::ApiGateway::UsagePlanKey");
        assertThat(planKeys).hasSize(1);
        JsonNode planKey = planKeys.values().iterator().next().path("Properties");
        assertThat(planKey.path("UsagePlanId")).isEqualTo(ref(planId));
        String keyId = planKey.at("/KeyId/Ref").asText();
        assertThat(template.resource(keyId).path("Type").asText()).isEqualTo("AWS::ApiGateway::ApiKey");
        assertThat(template.root().at("/Outputs/ApiKeyId/Value")).isEqualTo(ref(keyId));
        assertThat(template.root().at("/Outputs/UsagePlanId/Value")).isEqualTo(ref(planId));
    }

    @Test
    void api_answersUnknownPathsWithTheHandlers404AndEveryGatewayErrorAsPlainText() {
        JsonNode responses = template.api().getValue().at("/Properties/GatewayResponses");
        JsonNode unknownPath = responses.path("MISSING_AUTHENTICATION_TOKEN");
        assertThat(unknownPath.path("StatusCode").asText()).isEqualTo("404");
        assertThat(unknownPath.at("/ResponseTemplates/application~1json").asText()).isEqualTo(HttpResponses.notFound().getBody());
        // A missing or wrong key has its own type and must not look like a missing resource.
        assertThat(responses.path("INVALID_API_KEY").path("StatusCode").asText()).isEqualTo("403");
        assertThat(responses.fieldNames()).toIterable().contains("DEFAULT_4XX", "DEFAULT_5XX");
        responses.properties().forEach(response -> assertThat(response.getValue().at("/ResponseParameters/Headers/Content-Type").asText())
                .as("%s Content-Type", response.getKey()).isEqualTo("'text/plain'"));
    }

    @Test
    void api_writesAccessLogsWithoutQueryStringsToAGroupWithRetention() {
        JsonNode accessLog = template.api().getValue().at("/Properties/AccessLogSetting");
        String logGroup = accessLog.at("/DestinationArn/Fn::GetAtt/0").asText();
        assertThat(template.resource(logGroup).at("/Properties/RetentionInDays")).isEqualTo(ref("LogRetentionDays"));
        String format = accessLog.path("Format").asText();
        assertThat(format).contains("$context.requestId", "$context.status", "$context.identity.apiKeyId",
                        // From an alarm to the function's line (lambdaRequestId) and to why API Gateway answered itself.
                        "$context.integration.requestId", "$context.integration.status", "$context.integration.error",
                        "\"errorType\":\"$context.error.responseType\"")
                // The query string holds user ids.
                .doesNotContain("$input", "$context.requestOverride", "querystring", "$context.identity.apiKey\"");
    }

    @Test
    void dashboard_isJsonAndShowsEveryCustomMetricTheCodeNamesAndNoOther() {
        JsonNode dashboard = template.dashboard();

        Set<String> known = new HashSet<>(stringConstants(MetricNames.class));
        // The API's 429s, counted from the access log by the template's own metric filters.
        Set<String> filtered = new HashSet<>();
        Metrics.fromMetricFilters(template).forEach(metric -> filtered.add(metric.name()));
        assertThat(filtered).containsExactlyInAnyOrder("ApiThrottled", "ApiQuotaExceeded");
        known.addAll(filtered);
        Set<String> used = new HashSet<>(Set.of(MetricNames.NAMESPACE));
        Map<String, Set<String>> dimensionValues = new HashMap<>();
        Set<String> awsNamespaces = new TreeSet<>();
        for (JsonNode row : dashboard.findValues("metrics").stream().flatMap(TemplateIT::elements).toList()) {
            JsonNode first = row.path(0);
            if (first.has("expression")) {
                // Math over the widget's other rows names no metric itself; a SEARCH does.
                if (first.path("expression").asText().contains("SEARCH(")) {
                    used.addAll(customMetricsInSearch(first.path("expression").asText()));
                }
                continue;
            }
            List<String> names = elements(row).filter(JsonNode::isTextual).map(JsonNode::asText).toList();
            assertThat(names).as("metric rows are written out in full").doesNotContain(".", "...");
            if (!names.get(0).equals(MetricNames.NAMESPACE)) {
                awsNamespaces.add(names.get(0));
                assertAwsDimensions(names);
                continue;
            }
            used.add(names.get(1));
            for (int i = 2; i + 1 < names.size(); i += 2) {
                used.add(names.get(i));
                dimensionValues.computeIfAbsent(names.get(i), k -> new TreeSet<>()).add(names.get(i + 1));
            }
        }
        assertThat(known).as("every custom metric and dimension the dashboard names exists in MetricNames").containsAll(used);
        assertThat(used).as("every name in MetricNames and every metric filter's metric is on the dashboard").containsAll(known);
        assertThat(dimensionValues.get(MetricNames.EVENT_TYPE))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(EventType.values()).map(EventType::wireName).toList());
        assertThat(awsNamespaces).containsExactlyInAnyOrder("AWS/ApiGateway", "AWS/Lambda", "AWS/DynamoDB");
    }

    @Test
    void functions_runJava21WithSnapStartOnAPublishedAlias() {
        JsonNode globals = template.globalFunction();
        assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
        assertThat(globals.at("/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("AutoPublishAlias").asText()).isNotBlank();
        for (var function : template.resources("AWS::Serverless::Function").entrySet()) {
            JsonNode properties = function.getValue().path("Properties");
            assertThat(properties.has("SnapStart") || properties.has("AutoPublishAlias") || properties.has("Runtime"))
                    .as("%s does not override the Globals", function.getKey()).isFalse();
        }
    }

    @Test
    void table_isOnDemandRecoverableEncryptedRetainedAndKeyedAsTheStoreExpects() {
        JsonNode table = template.resource(TABLE);
        assertThat(table.path("Type").asText()).isEqualTo("AWS::DynamoDB::Table");
        // Kept on stack delete and replacement; a failed first create leaves no orphan table behind.
        assertThat(table.path("DeletionPolicy").asText()).isEqualTo("RetainExceptOnCreate");
        assertThat(table.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        JsonNode properties = table.path("Properties");
        assertThat(properties.path("DeletionProtectionEnabled").asBoolean()).isTrue();
        assertThat(properties.path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(properties.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean()).isTrue();
        assertThat(properties.at("/SSESpecification/SSEEnabled").asBoolean()).isTrue();
        assertThat(properties.path("KeySchema")).isEqualTo(CloudFormationYaml.parse(
                "[{AttributeName: " + TableLayout.KEY + ", KeyType: HASH}]"));
        assertThat(properties.path("AttributeDefinitions")).isEqualTo(CloudFormationYaml.parse(
                "[{AttributeName: " + TableLayout.KEY + ", AttributeType: S}]"));
        // Always on: only markers written with a retention carry the attribute.
        assertThat(properties.path("TimeToLiveSpecification")).isEqualTo(CloudFormationYaml.parse(
                "{AttributeName: " + TableLayout.EXPIRES_AT + ", Enabled: true}"));
    }

    @Test
    void outputs_giveTheApiUrlDashboardTableAndKey() {
        JsonNode outputs = template.root().path("Outputs");
        assertThat(outputs.at("/ApiUrl/Value/Fn::Sub").asText())
                .startsWith("https://${" + template.api().getKey() + "}.execute-api.")
                .endsWith("/prod" + ProxyRequests.ANALYTICS);
        assertThat(template.api().getValue().at("/Properties/StageName").asText()).isEqualTo("prod");
        String dashboard = template.resources("AWS::CloudWatch::Dashboard").keySet().iterator().next();
        assertThat(outputs.at("/DashboardUrl/Value/Fn::Sub/0").asText())
                .startsWith("https://${Console}/cloudwatch/home?region=${AWS::Region}")
                .endsWith("#dashboards:name=${" + dashboard + "}");
        // Each partition has its own console site.
        assertThat(outputs.at("/DashboardUrl/Value/Fn::Sub/1/Console")).isEqualTo(CloudFormationYaml.parse(
                "Fn::If: [InChina, console.amazonaws.cn, {Fn::If: [InGovCloud, console.amazonaws-us-gov.com, console.aws.amazon.com]}]"));
        assertThat(template.root().at("/Conditions/InChina")).isEqualTo(CloudFormationYaml.parse("Fn::Equals: [{Ref: AWS::Partition}, aws-cn]"));
        assertThat(template.root().at("/Conditions/InGovCloud")).isEqualTo(CloudFormationYaml.parse("Fn::Equals: [{Ref: AWS::Partition}, aws-us-gov]"));
        assertThat(outputs.at("/TableName/Value")).isEqualTo(ref(TABLE));
        assertThat(outputs.has("ApiKeyId")).isTrue();
    }

    @Test
    void resources_havePascalCaseIdsAndNoFixedPhysicalNames() {
        Set<String> nameProperties = Set.of("TableName", "FunctionName", "RoleName", "LogGroupName", "DashboardName",
                "AlarmName", "UsagePlanName", "Name", "TopicName", "StackName");
        for (String section : List.of("Parameters", "Conditions", "Resources", "Outputs")) {
            template.root().path(section).fieldNames().forEachRemaining(id ->
                    assertThat(id).as("%s id", section).matches("[A-Z][A-Za-z0-9]*"));
        }
        template.root().path("Resources").properties().forEach(resource ->
                resource.getValue().path("Properties").properties().forEach(property -> {
                    if (nameProperties.contains(property.getKey())) {
                        assertThat(property.getValue().isTextual())
                                .as("%s.%s is a fixed name", resource.getKey(), property.getKey()).isFalse();
                    }
                }));
    }

    private void assertPolicy(String function, Set<String> storeActions, Map<String, Set<JsonNode>> otherGrants) {
        JsonNode properties = template.resource(function).path("Properties");
        assertThat(properties.has("Policies")).as("%s: SAM Policies would add broad managed policies", function).isFalse();
        String roleId = properties.at("/Role/Fn::GetAtt/0").asText();
        JsonNode role = template.resource(roleId).path("Properties");
        assertThat(role.at("/AssumeRolePolicyDocument/Statement")).isEqualTo(CloudFormationYaml.parse(
                "[{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]"));
        assertThat(role.has("ManagedPolicyArns")).as("%s managed policies", roleId).isFalse();

        String logGroup = properties.at("/LoggingConfig/LogGroup/Ref").asText();
        assertThat(template.resource(logGroup).at("/Properties/RetentionInDays")).isEqualTo(ref("LogRetentionDays"));

        Map<String, Set<JsonNode>> granted = new TreeMap<>();
        for (JsonNode policy : role.path("Policies")) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
                assertThat(statement.has("NotAction") || statement.has("NotResource")).isFalse();
                List<JsonNode> resources = elements(statement.path("Resource")).toList();
                elements(statement.path("Action")).forEach(action ->
                        granted.computeIfAbsent(action.asText(), a -> new LinkedHashSet<>()).addAll(resources));
            }
        }
        Map<String, Set<JsonNode>> expected = new TreeMap<>();
        storeActions.forEach(action -> expected.put(action, Set.of(getAtt(TABLE, "Arn"))));
        expected.putAll(otherGrants);
        JsonNode ownStreams = JsonNodeFactory.instance.objectNode().put("Fn::Sub", LOG_STREAMS.formatted(logGroup));
        Stream.of("logs:CreateLogStream", "logs:PutLogEvents").forEach(action -> expected.put(action, Set.of(ownStreams)));
        assertThat(granted).as("%s permissions", roleId).isEqualTo(expected);

        granted.forEach((action, resources) -> {
            assertThat(action).doesNotContain("*");
            // Lambda names its log streams, so that part alone stays open.
            resources.forEach(resource -> assertThat(render(resource).replaceFirst(":log-stream:\\*$", "")).doesNotContain("*"));
        });
    }

    /** The jar at CodeUri, which mvn package has built. */
    private static Path functionJar(JsonNode properties) {
        Path jar = ApiEvents.repoRoot().resolve(properties.path("CodeUri").asText());
        assertThat(jar.getFileName().toString()).endsWith(".jar");
        assertThat(jar).as("the CodeUri jar; run mvn package first").isRegularFile();
        return jar;
    }

    private List<Path> functionJars() {
        return template.resources("AWS::Serverless::Function").values().stream()
                .map(function -> functionJar(function.path("Properties"))).toList();
    }

    /**
     * The names passed to System.getenv in every source file whose class is deployed in a function jar.
     * A constant argument is resolved to its value; one that cannot be resolved fails the check.
     */
    private Set<String> getenvNamesInDeployedSources() throws IOException {
        Set<String> deployedClasses = new HashSet<>();
        for (Path jar : functionJars()) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().forEach(entry -> deployedClasses.add(entry.getName()));
            }
        }
        List<String> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(ApiEvents.repoRoot())) {
            for (Path sourceRoot : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.walk(sourceRoot)) {
                    files.filter(f -> f.toString().endsWith(".java"))
                            .filter(f -> deployedClasses.contains(sourceRoot.relativize(f).toString().replace('\\', '/').replaceFirst("\\.java$", ".class")))
                            .forEach(f -> sources.add(read(f)));
                }
            }
        }
        assertThat(sources).as("deployed sources found").isNotEmpty();
        Set<String> names = new TreeSet<>();
        for (String source : sources) {
            Matcher call = GETENV.matcher(source);
            while (call.find()) {
                names.add(call.group(1) != null ? call.group(1) : constantValue(call.group(2), sources));
            }
        }
        return names;
    }

    private static String constantValue(String reference, List<String> sources) {
        String name = reference.substring(reference.lastIndexOf('.') + 1);
        Pattern declaration = Pattern.compile("\\b" + Pattern.quote(name) + "\\s*=\\s*\"([^\"]*)\"");
        return sources.stream().map(declaration::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("getenv(" + reference + "): cannot find the constant's value"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The values of a class's public static final String fields. */
    private static Set<String> stringConstants(Class<?> type) {
        Set<String> values = new TreeSet<>();
        for (Field field : type.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    values.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }

    /** The custom metric and dimension names a SEARCH expression on the HourlyAnalytics namespace names. */
    private static Set<String> customMetricsInSearch(String expression) {
        Matcher search = Pattern.compile("SEARCH\\('\\{([^}]*)\\}\\s+MetricName=\"([^\"]+)\"").matcher(expression);
        assertThat(search.find()).as("a SEARCH over a namespace and one MetricName: %s", expression).isTrue();
        List<String> schema = Arrays.stream(search.group(1).split(",")).map(String::trim).toList();
        assertThat(schema.get(0)).isEqualTo(MetricNames.NAMESPACE);
        Set<String> names = new HashSet<>(schema.subList(1, schema.size()));
        names.add(search.group(2));
        return names;
    }

    /** AWS metrics name this stack's API, functions and table, by the same values their resources have. */
    private void assertAwsDimensions(List<String> names) {
        Map<String, Set<String>> allowed = Map.of(
                "ApiName", Set.of(render(template.api().getValue().at("/Properties/Name"))),
                "Stage", Set.of(template.api().getValue().at("/Properties/StageName").asText()),
                "FunctionName", Set.of(placeholder(INGEST), placeholder(QUERY)),
                "TableName", Set.of(placeholder(TABLE)),
                "Operation", Set.of("TransactWriteItems", "UpdateItem", "BatchGetItem"));
        for (int i = 2; i + 1 < names.size(); i += 2) {
            assertThat(allowed).as("dimension of %s", names).containsKey(names.get(i));
            assertThat(allowed.get(names.get(i))).as("dimension value in %s", names).contains(names.get(i + 1));
        }
    }

    /** Renders Fn::Sub, Fn::Join, Ref and Fn::GetAtt to text, each reference as a stable placeholder. */
    static String render(JsonNode node) {
        if (node.isTextual() || node.isNumber()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            return placeholder(node.path("Ref").asText());
        }
        if (node.has("Fn::GetAtt")) {
            return placeholder(node.at("/Fn::GetAtt/0").asText() + "." + node.at("/Fn::GetAtt/1").asText());
        }
        if (node.has("Fn::Join")) {
            return elements(node.at("/Fn::Join/1")).map(TemplateIT::render)
                    .collect(Collectors.joining(node.at("/Fn::Join/0").asText()));
        }
        if (node.has("Fn::Sub")) {
            JsonNode sub = node.path("Fn::Sub");
            String text = sub.isArray() ? sub.path(0).asText() : sub.asText();
            JsonNode variables = sub.isArray() ? sub.path(1) : JsonNodeFactory.instance.objectNode();
            Matcher reference = Pattern.compile("\\$\\{(!?)([^}]+)\\}").matcher(text);
            return reference.replaceAll(match -> Matcher.quoteReplacement(
                    !match.group(1).isEmpty() ? "${" + match.group(2) + "}"
                            : variables.has(match.group(2)) ? render(variables.path(match.group(2))) : placeholder(match.group(2))));
        }
        throw new AssertionError("cannot render " + node);
    }

    static String placeholder(String reference) {
        return "placeholder-" + reference.replaceAll("[^A-Za-z0-9]+", "-");
    }

    /** The names a value refers to: Ref targets and Fn::Sub variables (GetAtt targets too), at any depth. */
    static Set<String> referencedNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.findValues("Ref").forEach(ref -> names.add(ref.asText()));
        node.findValues("Fn::GetAtt").forEach(getAtt -> names.add(getAtt.path(0).asText()));
        for (JsonNode sub : node.findValues("Fn::Sub")) {
            Matcher reference = Pattern.compile("\\$\\{([^!}][^}.]*)").matcher(sub.isArray() ? sub.path(0).asText() : sub.asText());
            while (reference.find()) {
                names.add(reference.group(1));
            }
        }
        return names;
    }

    private static Stream<JsonNode> elements(JsonNode node) {
        return node.isArray() ? StreamSupport.stream(node.spliterator(), false) : Stream.of(node);
    }
}
