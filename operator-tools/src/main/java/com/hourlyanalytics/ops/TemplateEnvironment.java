package com.hourlyanalytics.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * template.yaml's {@code Globals.Function.Environment.Variables}, the one environment both functions run with, read
 * and edited as text: a variable's line is rewritten in place, so the template's comments and layout stay.
 */
final class TemplateEnvironment {

    /** Lambda refuses a function whose variables' names and values together exceed 4 KB. */
    static final int LAMBDA_LIMIT_BYTES = 4096;
    /** What a {@code !Ref} (the table's name) may resolve to at most: DynamoDB's longest table name. */
    static final int REFERENCE_BYTES = 255;

    private static final List<String> BLOCK = List.of("Globals:", "  Function:", "    Environment:", "      Variables:");
    private static final String INDENT = "        ";
    private static final Pattern VARIABLE = Pattern.compile("^" + INDENT + "([A-Za-z_][A-Za-z0-9_]*):\\s*(.*?)\\s*$");

    private final Path file;
    private final List<String> lines;
    /** Variable name to its line's index. */
    private final Map<String, Integer> lineOf = new LinkedHashMap<>();

    private TemplateEnvironment(Path file, List<String> lines) {
        this.file = file;
        this.lines = new ArrayList<>(lines);
        int at = 0;
        for (String heading : BLOCK) {
            at = find(heading, at) + 1;
        }
        for (; at < lines.size(); at++) {
            String line = lines.get(at);
            if (line.isBlank() || line.startsWith(INDENT + "#")) {
                continue;
            }
            Matcher variable = VARIABLE.matcher(line);
            if (!variable.matches()) {
                break;
            }
            lineOf.put(variable.group(1), at);
        }
    }

    static TemplateEnvironment read(Path template) throws IOException {
        return new TemplateEnvironment(template, Files.readAllLines(template, StandardCharsets.UTF_8));
    }

    /**
     * The variable's literal value, unquoted.
     *
     * @throws IllegalArgumentException when the template has no such variable, or it is not a literal
     */
    String value(String name) {
        Integer at = lineOf.get(name);
        if (at == null) {
            throw new IllegalArgumentException(file + " has no " + name + " in Globals.Function.Environment.Variables");
        }
        String raw = raw(at);
        if (raw.startsWith("!")) {
            throw new IllegalArgumentException(file + ": " + name + " is " + raw + ", not a literal");
        }
        return unquote(raw);
    }

    /** The bytes of every name and value once deployed, with {@code name} set to {@code value}; a reference counts its longest. */
    int bytesWith(String name, String value) {
        int bytes = 0;
        for (Map.Entry<String, Integer> variable : lineOf.entrySet()) {
            String raw = raw(variable.getValue());
            String deployed = variable.getKey().equals(name) ? value : raw.startsWith("!") ? null : unquote(raw);
            bytes += utf8(variable.getKey()) + (deployed == null ? REFERENCE_BYTES : utf8(deployed));
        }
        return bytes;
    }

    /** Sets a literal variable, single-quoted as the template writes them, and saves the file. */
    void write(String name, String value) throws IOException {
        value(name);
        lines.set(lineOf.get(name), INDENT + name + ": '" + value.replace("'", "''") + "'");
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private String raw(int line) {
        Matcher variable = VARIABLE.matcher(lines.get(line));
        if (!variable.matches()) {
            throw new IllegalStateException("line " + (line + 1) + " is no longer a variable");
        }
        String raw = variable.group(2);
        // A comment may follow; a quoted value ends at its last quote, and may itself hold " #".
        char first = raw.isEmpty() ? ' ' : raw.charAt(0);
        return first == '\'' || first == '"' ? raw.substring(0, raw.lastIndexOf(first) + 1) : raw.replaceFirst("\\s+#.*$", "");
    }

    private int find(String heading, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).equals(heading)) {
                return i;
            }
        }
        throw new IllegalArgumentException(file + " has no '" + heading.strip() + "' where Globals.Function.Environment.Variables should be");
    }

    private static String unquote(String raw) {
        if (raw.length() >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
            return raw.substring(1, raw.length() - 1).replace("''", "'");
        }
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            return raw.substring(1, raw.length() - 1);
        }
        return raw;
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
