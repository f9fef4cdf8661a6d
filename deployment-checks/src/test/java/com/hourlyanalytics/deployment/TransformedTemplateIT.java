package com.hourlyanalytics.deployment;

import static com.hourlyanalytics.deployment.Template.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.template.CloudFormationYaml;
import com.hourlyanalytics.observability.MetricNames;
import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CloudFormation that would deploy: template.yaml through the real SAM transform (aws-sam-translator, run by
 * scripts/transform-template.sh), for the default parameters and for the changes a later deploy may bring.
 * TemplateIT reads the template as written; this reads what SAM makes of it.
 */
class TransformedTemplateIT {

    private static final String DEFAULT = "default";
    private static final String REBUILT = "rebuilt";
    private static final String LOGGING_ROLE = "logging-role";
    private static final String OTHER_PARAMETER = "other-parameter";
    private static final String SETTING = "setting-";
    private static final String RUNTIME = "runtime";
    private static final String ALL_AT_ONCE = "all-at-once";
    private static final String PAGE_TOPIC = "PageTopic";
    private static final String TICKET_TOPIC = "TicketTopic";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path OUT = ApiEvents.repoRoot().resolve("deployment-checks/target/cloudformation");

    private static final Map<String, Template> transformed = new TreeMap<>();
    /** The Globals environment variables written as literals, each with a changed value. */
    private static final Map<String, String> changedSettings = new TreeMap<>();

    @BeforeAll
    static void transform() throws IOException, InterruptedException {
        Template source = Template.load();
        source.globalFunction().at("/Environment/Variables").properties().forEach(variable -> {
            if (variable.getValue().isTextual()) {
                changedSettings.put(variable.getKey(), changed(variable.getValue().asText()));
            }
        });
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put(DEFAULT, "");
        variants.put(REBUILT, "@code=rebuilt");
        variants.put(LOGGING_ROLE, "CreateApiGatewayLoggingRole=true");
        variants.put(ALL_AT_ONCE, "DeploymentType=AllAtOnce");
        // A parameter the functions do not read: a deploy changing it alone must not publish versions.
        variants.put(OTHER_PARAMETER, "ThrottleRateLimit=" + (source.root().at("/Parameters/ThrottleRateLimit/Default").asInt() + 1));
        changedSettings.forEach((name, value) -> variants.put(SETTING + name, "@env." + name + "=" + value));
        // A property that SAM's default version hash leaves out: AutoPublishAliasAllProperties brings it in.
        variants.put(RUNTIME, "@globals.Runtime=java25");

        List<String> command = new ArrayList<>(List.of(ApiEvents.repoRoot().resolve("scripts/transform-template.sh").toString(), OUT.toString()));
        variants.forEach((name, settings) -> command.add(settings.isEmpty() ? name : name + ":" + settings));
        Process transform = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(transform.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(transform.waitFor(5, TimeUnit.MINUTES)).as("the transform ended").isTrue();
        assertThat(transform.exitValue()).as("scripts/transform-template.sh failed:%n%s", output).isZero();
        for (String name : variants.keySet()) {
            transformed.put(name, new Template(MAPPER.readTree(OUT.resolve(name + ".json").toFile())));
        }
    }

    @Test
    void api_hasExactlyOneStageWhichTheUsagePlanLimits() {
        Template cloudFormation = transformed.get(DEFAULT);
        Map<String, JsonNode> stages = cloudFormation.resources("AWS::ApiGateway::Stage");
        assertThat(stages).as("stages").hasSize(1);
        String stage = stages.keySet().iterator().next();
        assertThat(stages.get(stage).at("/Properties/StageName").asText()).isEqualTo("prod");
        // A Deployment with a StageName creates a stage of its own, with no access log and no usage plan.
        cloudFormation.resources("AWS::ApiGateway::Deployment").forEach((id, deployment) ->
                assertThat(deployment.path("Properties").has("StageName")).as("%s creates a stage", id).isFalse());

        JsonNode plans = MAPPER.valueToTree(cloudFormation.resources("AWS::ApiGateway::UsagePlan").values());
        assertThat(plans).hasSize(1);
        assertThat(plans.at("/0/Properties/ApiStages")).hasSize(1);
        assertThat(plans.at("/0/Properties/ApiStages/0/Stage")).isEqualTo(ref(stage));
        assertThat(stages.get(stage).at("/Properties/MethodSettings/0/ThrottlingRateLimit")).isEqualTo(ref("StageThrottleRateLimit"));
        assertThat(stages.get(stage).at("/Properties/AccessLogSetting/DestinationArn")).isNotEmpty();
    }

    @Test
    void everyMethod_requiresAnApiKeyAndCallsAFunctionsLiveAlias() {
        Template cloudFormation = transformed.get(DEFAULT);
        Set<String> aliases = cloudFormation.resources("AWS::Lambda::Alias").keySet();
        assertThat(aliases).hasSize(2);
        Map<String, JsonNode> apis = cloudFormation.resources("AWS::ApiGateway::RestApi");
        assertThat(apis).hasSize(1);
        JsonNode body = apis.values().iterator().next().at("/Properties/Body");
        String keyScheme = body.at("/securityDefinitions").properties().stream()
                .filter(scheme -> scheme.getValue().path("name").asText().equals("x-api-key")
                        && scheme.getValue().path("in").asText().equals("header"))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no x-api-key scheme in " + body));

        Set<String> methods = new TreeSet<>();
        body.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            String name = method.getKey() + " " + path.getKey();
            methods.add(name);
            assertThat(method.getValue().path("security")).as("%s security", name)
                    .containsExactly(MAPPER.createObjectNode().set(keyScheme, MAPPER.createArrayNode()));
            String uri = method.getValue().at("/x-amazon-apigateway-integration/uri/Fn::Sub").asText();
            assertThat(uri).as("%s integration", name).matches(".*/functions/\\$\\{(" + String.join("|", aliases) + ")\\}/invocations");
        }));
        assertThat(methods).containsExactlyInAnyOrder("get /analytics", "x-amazon-apigateway-any-method /analytics",
                "post /analytics/batch", "x-amazon-apigateway-any-method /analytics/batch");

        Map<String, JsonNode> permissions = cloudFormation.resources("AWS::Lambda::Permission");
        assertThat(permissions).hasSize(methods.size());
        permissions.forEach((id, permission) -> {
            assertThat(permission.at("/Properties/FunctionName/Ref").asText()).as("%s function", id).isIn(aliases);
            assertThat(permission.at("/Properties/Principal").asText()).isEqualTo("apigateway.amazonaws.com");
        });
    }

    /** The usage plan's and the stage's per-method throttles name methods the API really has: the batch POST and the GET. */
    @Test
    void perMethodThrottles_perKeyAndAcrossKeys_nameTheBatchPostAndTheGetTheApiHas() {
        Template cloudFormation = transformed.get(DEFAULT);
        JsonNode paths = cloudFormation.resources("AWS::ApiGateway::RestApi").values().iterator().next().at("/Properties/Body/paths");
        JsonNode plan = cloudFormation.resources("AWS::ApiGateway::UsagePlan").values().iterator().next().path("Properties");
        JsonNode stage = cloudFormation.resources("AWS::ApiGateway::Stage").values().iterator().next().path("Properties");

        Set<String> throttled = new TreeSet<>();
        plan.at("/ApiStages/0/Throttle").properties().forEach(method -> throttled.add(method.getKey()));
        assertThat(throttled).containsExactly(ProxyRequests.ANALYTICS + "/GET", ProxyRequests.ANALYTICS_BATCH + "/POST");
        assertThat(plan.at("/ApiStages/0/Throttle").path(ProxyRequests.ANALYTICS_BATCH + "/POST").path("RateLimit"))
                .isEqualTo(ref("BatchThrottleRateLimit"));
        Set<String> stageMethods = new TreeSet<>();
        stage.path("MethodSettings").forEach(setting -> {
            String path = setting.path("ResourcePath").asText();
            if (!path.equals("/*")) {
                stageMethods.add(path.substring(1).replace("~1", "/") + "/" + setting.path("HttpMethod").asText());
            }
        });
        assertThat(stageMethods).isEqualTo(throttled);
        for (String method : throttled) {
            String resource = method.substring(0, method.lastIndexOf('/'));
            String verb = method.substring(method.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            assertThat(paths.path(resource).has(verb)).as("%s is a method of its own in %s", method, paths).isTrue();
        }
    }

    /** Ingest can never take the query function's executions, nor the account's last 100 (Lambda's unreserved floor). */
    @Test
    void bothFunctions_reserveTheirConcurrencyFromParameters_leavingTheAccountsFloor() {
        Template cloudFormation = transformed.get(DEFAULT);
        Map<String, JsonNode> functions = cloudFormation.resources("AWS::Lambda::Function");
        assertThat(functions).containsOnlyKeys("IngestFunction", "QueryFunction");
        JsonNode parameters = cloudFormation.root().path("Parameters");
        int reserved = 0;
        for (String function : functions.keySet()) {
            String parameter = function.replace("Function", "ReservedConcurrency");
            assertThat(functions.get(function).at("/Properties/ReservedConcurrentExecutions")).as(function).isEqualTo(ref(parameter));
            reserved += parameters.at("/" + parameter + "/Default").asInt();
        }
        assertThat(reserved + 100).as("reserved, plus the 100 Lambda keeps unreserved")
                .isLessThanOrEqualTo(parameters.at("/AccountConcurrencyLimit/Default").asInt());
    }

    @Test
    void table_hasOnDemandCeilingsFromParameters_belowTheDefaultTableQuota() {
        Template cloudFormation = transformed.get(DEFAULT);
        JsonNode table = cloudFormation.resources("AWS::DynamoDB::Table").values().iterator().next().path("Properties");
        JsonNode parameters = cloudFormation.root().path("Parameters");

        assertThat(table.path("BillingMode").asText()).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.path("OnDemandThroughput")).isEqualTo(CloudFormationYaml.parse(
                "{MaxReadRequestUnits: {Ref: TableMaxReadRequestUnits}, MaxWriteRequestUnits: {Ref: TableMaxWriteRequestUnits}}"));
        for (String parameter : List.of("TableMaxReadRequestUnits", "TableMaxWriteRequestUnits")) {
            assertThat(parameters.at("/" + parameter + "/Default").asInt()).as(parameter).isBetween(1, 40_000);
        }
    }

    /** The bill's alarm reaches the same people as the ticket alarms: Budgets may publish to the ticket topic. */
    @Test
    void costBudget_notifiesTheTicketTopic_whichLetsBudgetsAndAlarmsOfThisAccountPublish() {
        Template cloudFormation = transformed.get(DEFAULT);
        Map<String, JsonNode> budgets = cloudFormation.resources("AWS::Budgets::Budget");
        assertThat(budgets).hasSize(1);
        JsonNode budget = budgets.values().iterator().next().path("Properties");
        assertThat(budget.at("/Budget/BudgetType").asText()).isEqualTo("COST");
        assertThat(budget.at("/Budget/TimeUnit").asText()).isEqualTo("MONTHLY");
        assertThat(budget.at("/Budget/BudgetLimit")).isEqualTo(CloudFormationYaml.parse("{Amount: {Ref: MonthlyCostBudget}, Unit: USD}"));
        List<String> notifications = new ArrayList<>();
        budget.path("NotificationsWithSubscribers").forEach(notification -> {
            notifications.add(notification.at("/Notification/NotificationType").asText() + " > "
                    + notification.at("/Notification/Threshold").asText() + notification.at("/Notification/ThresholdType").asText());
            assertThat(notification.path("Subscribers")).containsExactly(CloudFormationYaml.parse("{Address: {Ref: TicketTopic}, SubscriptionType: SNS}"));
        });
        assertThat(notifications).containsExactlyInAnyOrder("ACTUAL > 80PERCENTAGE", "FORECASTED > 100PERCENTAGE");

        Map<String, JsonNode> policies = cloudFormation.resources("AWS::SNS::TopicPolicy");
        assertThat(policies).hasSize(1);
        JsonNode policy = policies.values().iterator().next().path("Properties");
        assertThat(policy.path("Topics")).containsExactly(ref(TICKET_TOPIC));
        Set<String> publishers = new TreeSet<>();
        policy.at("/PolicyDocument/Statement").forEach(statement -> {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            assertThat(statement.path("Action").asText()).isEqualTo("sns:Publish");
            assertThat(statement.path("Resource")).isEqualTo(ref(TICKET_TOPIC));
            assertThat(statement.at("/Condition/StringEquals/aws:SourceAccount")).isEqualTo(ref("AWS::AccountId"));
            publishers.add(statement.at("/Principal/Service").asText());
        });
        assertThat(publishers).containsExactly("budgets.amazonaws.com", "cloudwatch.amazonaws.com");
    }

    @Test
    void changingAnySettingOrTheCode_publishesNewVersionsOfBothFunctions() {
        assertThat(changedSettings).as("settings in Globals").isNotEmpty();
        Map<String, String> before = versions(DEFAULT);
        assertThat(before).as("one version per function").hasSize(2);
        changedSettings.keySet().forEach(setting -> {
            Map<String, String> after = versions(SETTING + setting);
            before.forEach((function, version) -> assertThat(after.get(function))
                    .as("%s's version after %s changes", function, setting).isNotEqualTo(version));
        });
        for (String variant : List.of(REBUILT, RUNTIME)) {
            Map<String, String> after = versions(variant);
            before.forEach((function, version) -> assertThat(after.get(function)).as("%s's version, %s", function, variant).isNotEqualTo(version));
        }
        assertThat(versions(OTHER_PARAMETER)).as("a parameter no function reads publishes nothing").isEqualTo(before);
        for (Template cloudFormation : transformed.values()) {
            cloudFormation.resources("AWS::Lambda::Alias").values().forEach(alias ->
                    assertThat(alias.at("/Properties/FunctionVersion/Fn::GetAtt/0").asText()).isIn(versions(cloudFormation).values()));
        }
    }

    @Test
    void oldVersions_areKept() {
        // With Delete, a publish that Lambda answered with the live version (nothing changed) would have the
        // clean-up delete the version the alias serves; docs/deployment.md says how to prune by hand.
        transformed.get(DEFAULT).resources("AWS::Lambda::Version").forEach((id, version) ->
                assertThat(version.path("DeletionPolicy").asText()).as("%s DeletionPolicy", id).isEqualTo("Retain"));
    }

    @Test
    void withTheLoggingRole_theStageIsCreatedAfterTheAccountSettings() {
        Template cloudFormation = transformed.get(LOGGING_ROLE);
        String stage = cloudFormation.resources("AWS::ApiGateway::Stage").keySet().iterator().next();
        Set<String> before = dependencies(cloudFormation, stage);
        assertThat(before).contains("ApiGatewayAccount");
        assertThat(cloudFormation.resource("ApiGatewayAccount").path("Condition").asText()).isEqualTo("CreateLoggingRole");
        // Only through Fn::If on the same condition: a plain DependsOn on a conditional resource fails to deploy.
        cloudFormation.root().path("Resources").properties().forEach(resource -> assertThat(resource.getValue().path("DependsOn").toString())
                .as("%s DependsOn", resource.getKey()).doesNotContain("\"ApiGatewayAccount\""));
    }

    @Test
    void everyAlarm_notifiesItsSeveritysTopicWhichMailsTheRequiredAddress_andNamesItsRunbookEntry() throws IOException {
        Template cloudFormation = transformed.get(DEFAULT);
        assertThat(cloudFormation.root().at("/Parameters/AlarmEmail").has("Default"))
                .as("AlarmEmail has no default: a deploy that names no one fails").isFalse();
        Map<String, JsonNode> topics = cloudFormation.resources("AWS::SNS::Topic");
        assertThat(topics).containsOnlyKeys(PAGE_TOPIC, TICKET_TOPIC);
        topics.forEach((id, topic) -> assertThat(topic.at("/Properties/Subscription")).as("%s subscriptions", id)
                .containsExactly(CloudFormationYaml.parse("{Protocol: email, Endpoint: {Ref: AlarmEmail}}")));
        Set<String> runbookAnchors = anchors(Files.readString(ApiEvents.repoRoot().resolve("docs/runbook.md")));

        Map<String, JsonNode> alarms = cloudFormation.resources("AWS::CloudWatch::Alarm");
        assertThat(alarms).hasSizeGreaterThanOrEqualTo(10);
        Set<String> severities = new TreeSet<>();
        alarms.forEach((id, alarm) -> {
            JsonNode properties = alarm.path("Properties");
            String description = properties.path("AlarmDescription").asText();
            String topic = description.startsWith("PAGE.") ? PAGE_TOPIC : description.startsWith("TICKET.") ? TICKET_TOPIC : null;
            assertThat(topic).as("%s's description starts with PAGE. or TICKET.: %s", id, description).isNotNull();
            severities.add(topic);
            assertThat(properties.path("AlarmActions")).as("%s AlarmActions", id).containsExactly(ref(topic));
            assertThat(properties.has("OKActions")).as("%s sends no OK message", id).isFalse();
            assertThat(properties.has("InsufficientDataActions")).as("%s InsufficientDataActions", id).isFalse();
            Matcher entry = Pattern.compile("docs/runbook\\.md#([a-z0-9-]+)").matcher(description);
            assertThat(entry.find()).as("%s names its runbook entry", id).isTrue();
            assertThat(runbookAnchors).as("runbook entries").contains(entry.group(1));
            assertThat(entry.group(1)).as("%s's runbook entry", id).contains(id.toLowerCase(Locale.ROOT));
        });
        assertThat(severities).containsExactlyInAnyOrder(PAGE_TOPIC, TICKET_TOPIC);
    }

    @Test
    void everyAlarmAndGraph_watchesAMetricThatExists() {
        Template cloudFormation = transformed.get(DEFAULT);
        Set<Metrics.Metric> custom = new HashSet<>(Metrics.emittedByCode());
        custom.addAll(Metrics.fromMetricFilters(cloudFormation));
        Set<Metrics.Metric> watched = new HashSet<>();
        cloudFormation.resources("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            JsonNode properties = alarm.path("Properties");
            List<JsonNode> metrics = properties.has("Metrics") ? properties.path("Metrics").findValues("Metric") : List.of(properties);
            assertThat(metrics).as("%s metrics", id).isNotEmpty();
            if (properties.has("Metrics")) {
                assertThat(properties.path("Metrics").findValues("ReturnData").stream().filter(JsonNode::asBoolean))
                        .as("%s returns one series", id).hasSize(1);
            }
            for (JsonNode metric : metrics) {
                Map<String, String> dimensions = new TreeMap<>();
                metric.path("Dimensions").forEach(d -> dimensions.put(d.path("Name").asText(), TemplateIT.render(d.path("Value"))));
                watched.add(metric(cloudFormation, metric.path("Namespace").asText(), metric.path("MetricName").asText(), dimensions, custom));
            }
        });
        for (JsonNode row : cloudFormation.dashboard().findValues("metrics").stream().flatMap(TransformedTemplateIT::elements).toList()) {
            JsonNode first = row.path(0);
            if (first.has("expression")) {
                Matcher search = Pattern.compile("SEARCH\\('\\{([^}]*)\\}\\s+MetricName=\"([^\"]+)\"").matcher(first.path("expression").asText());
                if (search.find()) {
                    List<String> schema = List.of(search.group(1).split("\\s*,\\s*"));
                    Metrics.assertExists(new Metrics.Metric(schema.get(0), search.group(2), Set.copyOf(schema.subList(1, schema.size()))), custom);
                }
                continue;
            }
            List<String> names = elements(row).filter(JsonNode::isTextual).map(JsonNode::asText).toList();
            Map<String, String> dimensions = new TreeMap<>();
            for (int i = 2; i + 1 < names.size(); i += 2) {
                dimensions.put(names.get(i), names.get(i + 1));
            }
            metric(cloudFormation, names.get(0), names.get(1), dimensions, custom);
        }
        assertThat(watched).extracting(Metrics.Metric::name).contains("5XXError", "Errors", "Latency", "Throttles",
                "ConcurrentExecutions", "SystemErrors", MetricNames.STORE_ERRORS, "ApiThrottled", "ApiQuotaExceeded");
    }

    @Test
    void bothFunctions_shiftTheirLiveAliasByCanaryAndRollBackOnTheirErrorAnd5xxAlarms() {
        Template cloudFormation = transformed.get(DEFAULT);
        Map<String, JsonNode> aliases = cloudFormation.resources("AWS::Lambda::Alias");
        assertThat(aliases).hasSize(2);
        Set<String> functions = new TreeSet<>();
        aliases.forEach((id, alias) -> {
            String function = alias.at("/Properties/FunctionName/Ref").asText();
            functions.add(function);
            assertThat(alias.at("/Properties/Name").asText()).isEqualTo("live");
            assertThat(cloudFormation.resource(function).at("/Properties/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
            JsonNode group = deploymentGroup(cloudFormation, alias);
            assertThat(TemplateIT.render(group.path("DeploymentConfigName"))).isEqualTo("CodeDeployDefault.LambdaCanary10Percent5Minutes");
            assertThat(group.at("/AutoRollbackConfiguration/Enabled").asBoolean()).isTrue();
            assertThat(group.at("/AutoRollbackConfiguration/Events")).contains(JsonNodeFactory.instance.textNode("DEPLOYMENT_STOP_ON_ALARM"));
            JsonNode alarms = gradualBranch(cloudFormation, group.path("AlarmConfiguration"), true);
            assertThat(alarms.path("Enabled").asBoolean()).isTrue();
            // AllAtOnce, the way to ship a fix during an incident, is not gated by the alarms that are firing.
            assertThat(gradualBranch(cloudFormation, group.path("AlarmConfiguration"), false).path("Enabled").asBoolean()).isFalse();
            Set<String> watched = new TreeSet<>();
            alarms.path("Alarms").forEach(alarm -> {
                JsonNode properties = cloudFormation.resource(alarm.at("/Name/Ref").asText()).path("Properties");
                properties.findValues("MetricName").forEach(name -> watched.add(name.asText()));
                properties.findValues("Dimensions").forEach(dimensions -> dimensions.forEach(d -> {
                    if (d.path("Name").asText().equals("FunctionName")) {
                        watched.add("FunctionName " + d.at("/Value/Ref").asText());
                    }
                }));
            });
            assertThat(watched).as("%s's rollback alarms", function).contains("5XXError", "Errors", "FunctionName " + function)
                    .doesNotContain("FunctionName " + (function.equals("IngestFunction") ? "QueryFunction" : "IngestFunction"));
        });
        assertThat(functions).containsExactlyInAnyOrder("IngestFunction", "QueryFunction");

        Template allAtOnce = transformed.get(ALL_AT_ONCE);
        allAtOnce.resources("AWS::Lambda::Alias").values().forEach(alias -> assertThat(TemplateIT.render(
                deploymentGroup(allAtOnce, alias).path("DeploymentConfigName"))).isEqualTo("CodeDeployDefault.LambdaAllAtOnce"));
        assertThat(versions(ALL_AT_ONCE)).as("choosing AllAtOnce publishes nothing").isEqualTo(versions(DEFAULT));
    }

    @Test
    void dashboard_firstRowShowsHealth() {
        Template cloudFormation = transformed.get(DEFAULT);
        JsonNode widgets = cloudFormation.dashboard().path("widgets");
        int top = elements(widgets).mapToInt(widget -> widget.path("y").asInt()).min().orElseThrow();
        List<JsonNode> firstRow = elements(widgets).filter(widget -> widget.path("y").asInt() == top).toList();
        assertThat(firstRow).extracting(widget -> widget.path("type").asText()).doesNotContain("text");
        assertThat(firstRow.stream().mapToInt(widget -> widget.path("width").asInt()).sum()).as("a full row").isEqualTo(24);

        JsonNode alarmStatus = firstRow.stream().filter(widget -> widget.path("type").asText().equals("alarm")).findFirst()
                .orElseThrow(() -> new AssertionError("no alarm status widget in the first row"));
        Set<String> shown = new TreeSet<>();
        alarmStatus.at("/properties/alarms").forEach(arn -> shown.add(arn.asText()));
        Set<String> every = new TreeSet<>();
        cloudFormation.resources("AWS::CloudWatch::Alarm").keySet().forEach(id -> every.add(TemplateIT.placeholder(id + ".Arn")));
        assertThat(shown).as("the alarm status widget shows every alarm").isEqualTo(every);

        String row = MAPPER.valueToTree(firstRow).toString();
        assertThat(row).as("5XX as a rate").contains("\"5XXError\"", "errors / requests")
                .as("429s").contains("ApiThrottled", "ApiQuotaExceeded")
                .as("store errors").contains(MetricNames.STORE_ERRORS);
        assertThat(firstRow).as("latency p99").anySatisfy(widget -> {
            assertThat(widget.toString()).contains("\"Latency\"");
            assertThat(widget.at("/properties/stat").asText()).isEqualTo("p99");
        });
    }

    /** The branch of an Fn::If on the condition "DeploymentType is the canary" that holds when {@code gradual}. */
    private static JsonNode gradualBranch(Template cloudFormation, JsonNode conditional, boolean gradual) {
        JsonNode branches = conditional.path("Fn::If");
        assertThat(cloudFormation.root().path("Conditions").path(branches.path(0).asText()))
                .isEqualTo(CloudFormationYaml.parse("Fn::Equals: [{Ref: DeploymentType}, Canary10Percent5Minutes]"));
        return branches.path(gradual ? 1 : 2);
    }

    private static JsonNode deploymentGroup(Template cloudFormation, JsonNode alias) {
        String group = alias.at("/UpdatePolicy/CodeDeployLambdaAliasUpdate/DeploymentGroupName/Ref").asText();
        assertThat(group).as("the alias moves through CodeDeploy").isNotEmpty();
        return cloudFormation.resource(group).path("Properties");
    }

    /**
     * The metric, checked to exist, with each dimension's value checked to name this stack's API, stage, function,
     * table or a value the code writes.
     */
    private static Metrics.Metric metric(Template cloudFormation, String namespace, String name, Map<String, String> dimensions,
                                         Set<Metrics.Metric> custom) {
        Metrics.Metric metric = new Metrics.Metric(namespace, name, dimensions.keySet());
        Metrics.assertExists(metric, custom);
        JsonNode api = cloudFormation.resources("AWS::ApiGateway::RestApi").values().iterator().next();
        JsonNode stage = cloudFormation.resources("AWS::ApiGateway::Stage").values().iterator().next();
        Map<String, Set<String>> allowed = Map.of(
                "ApiName", Set.of(TemplateIT.render(api.at("/Properties/Name"))),
                "Stage", Set.of(stage.at("/Properties/StageName").asText()),
                "FunctionName", placeholders(cloudFormation, "AWS::Lambda::Function"),
                "TableName", placeholders(cloudFormation, "AWS::DynamoDB::Table"),
                "Operation", namespace.equals(MetricNames.NAMESPACE)
                        ? Set.of("record", "read", "recordBatch") : Set.of("TransactWriteItems", "UpdateItem", "BatchGetItem"),
                MetricNames.ERROR_CLASS, Set.of("fault", "availability"),
                MetricNames.ERROR_CODE, Arrays.stream(StoreErrorCode.values()).map(StoreErrorCode::dimensionValue).collect(Collectors.toSet()),
                MetricNames.REASON, Set.of(ProxyRequests.MISSING_API_KEY_ID),
                MetricNames.EVENT_TYPE, Set.of("click", "impression"));
        dimensions.forEach((dimension, value) -> assertThat(allowed.get(dimension)).as("values of %s in %s", dimension, metric).contains(value));
        return metric;
    }

    private static Set<String> placeholders(Template cloudFormation, String type) {
        Set<String> ids = new TreeSet<>();
        cloudFormation.resources(type).keySet().forEach(id -> ids.add(TemplateIT.placeholder(id)));
        return ids;
    }

    /** GitHub's heading anchors: lower case, punctuation but hyphens dropped, spaces as hyphens. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new TreeSet<>();
        markdown.lines().filter(line -> line.startsWith("#")).forEach(heading -> anchors.add(heading.replaceFirst("^#+\\s*", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-')));
        return anchors;
    }

    private static Stream<JsonNode> elements(JsonNode node) {
        return node.isArray() ? StreamSupport.stream(node.spliterator(), false) : Stream.of(node);
    }

    /** Function logical id to its AWS::Lambda::Version's logical id. */
    private static Map<String, String> versions(String variant) {
        return versions(transformed.get(variant));
    }

    private static Map<String, String> versions(Template cloudFormation) {
        Map<String, String> versions = new TreeMap<>();
        cloudFormation.resources("AWS::Lambda::Version").forEach((id, version) ->
                versions.put(version.at("/Properties/FunctionName/Ref").asText(), id));
        return versions;
    }

    /** Every resource the given one waits for: DependsOn, Ref, GetAtt and Fn::Sub references, transitively. */
    private static Set<String> dependencies(Template cloudFormation, String logicalId) {
        Set<String> found = new TreeSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(logicalId));
        while (!pending.isEmpty()) {
            JsonNode resource = cloudFormation.resource(pending.pop());
            Set<String> direct = TemplateIT.referencedNames(resource);
            resource.path("DependsOn").forEach(name -> direct.add(name.asText()));
            if (resource.path("DependsOn").isTextual()) {
                direct.add(resource.path("DependsOn").asText());
            }
            direct.retainAll(allResources(cloudFormation));
            direct.stream().filter(found::add).forEach(pending::push);
        }
        return found;
    }

    private static Set<String> allResources(Template cloudFormation) {
        Set<String> ids = new TreeSet<>();
        cloudFormation.root().path("Resources").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    /** A different value of the same kind: a whole number plus one, or other text. */
    private static String changed(String value) {
        return value.matches("\\d+") ? Long.toString(Long.parseLong(value) + 1) : value + "changed";
    }
}
