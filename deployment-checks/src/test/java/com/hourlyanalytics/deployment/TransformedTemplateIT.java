package com.hourlyanalytics.deployment;

import static com.hourlyanalytics.deployment.Template.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
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
        assertThat(methods).containsExactlyInAnyOrder(
                "get /analytics", "x-amazon-apigateway-any-method /analytics", "x-amazon-apigateway-any-method /analytics/batch");

        Map<String, JsonNode> permissions = cloudFormation.resources("AWS::Lambda::Permission");
        assertThat(permissions).hasSize(methods.size());
        permissions.forEach((id, permission) -> {
            assertThat(permission.at("/Properties/FunctionName/Ref").asText()).as("%s function", id).isIn(aliases);
            assertThat(permission.at("/Properties/Principal").asText()).isEqualTo("apigateway.amazonaws.com");
        });
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
