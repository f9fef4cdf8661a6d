package com.hourlyanalytics.local.template;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a CloudFormation YAML template into a JSON tree, turning short-form intrinsics into their long form
 * as CloudFormation does: {@code !Ref X} becomes {@code {"Ref": "X"}}, {@code !GetAtt A.B} becomes
 * {@code {"Fn::GetAtt": ["A", "B"]}}, {@code !Condition C} becomes {@code {"Condition": "C"}} and any other
 * {@code !Name v} becomes {@code {"Fn::Name": v}}. A plain YAML reader would drop the tags and keep only
 * their arguments.
 */
public final class CloudFormationYaml {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLFactory YAML = new YAMLFactory();

    private CloudFormationYaml() {
    }

    public static JsonNode read(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return read(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static JsonNode parse(String yaml) {
        try {
            return read(new StringReader(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template's one resource of {@code type}, by logical id. */
    public static Map.Entry<String, JsonNode> onlyResource(JsonNode template, String type) {
        List<Map.Entry<String, JsonNode>> found = template.path("Resources").properties().stream()
                .filter(resource -> type.equals(resource.getValue().path("Type").asText())).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException("template.yaml must have one " + type + ", not " + found.size());
        }
        return found.get(0);
    }

    private static JsonNode read(Reader reader) throws IOException {
        try (YAMLParser parser = YAML.createParser(reader)) {
            if (parser.nextToken() == null) {
                return NODES.missingNode();
            }
            return node(parser);
        }
    }

    /** The node at the parser's current token; leaves the parser on that node's last token. */
    private static JsonNode node(YAMLParser parser) throws IOException {
        // The tag belongs to the current event, so it must be read before the parser moves on.
        String tag = parser.getTypeId();
        JsonToken token = parser.currentToken();
        JsonNode value = switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, node(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(node(parser));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unexpected YAML token " + token);
        };
        return tag == null ? value : intrinsic(tag, value);
    }

    private static JsonNode intrinsic(String tag, JsonNode argument) {
        return switch (tag) {
            case "Ref", "Condition" -> NODES.objectNode().set(tag, argument);
            case "GetAtt" -> NODES.objectNode().set("Fn::GetAtt", argument.isTextual() ? getAttList(argument.asText()) : argument);
            default -> NODES.objectNode().set("Fn::" + tag, argument);
        };
    }

    /** "Resource.Attr.Sub" names attribute "Attr.Sub" of "Resource". */
    private static ArrayNode getAttList(String dotted) {
        int dot = dotted.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got " + dotted);
        }
        return NODES.arrayNode().add(dotted.substring(0, dot)).add(dotted.substring(dot + 1));
    }
}
