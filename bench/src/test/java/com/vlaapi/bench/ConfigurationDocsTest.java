package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every setting and nothing else. The settings are read from the
 * source tree: each component of a {@code @ConfigurationProperties} record under {@code vla.},
 * through nested records, is one; a row is a table line whose first cell is such a property.
 * A row must give the property's relaxed environment variable and, when the record declares a
 * literal {@code @DefaultValue}, that default.
 */
class ConfigurationDocsTest {

    private static final Pattern CONFIGURATION_PROPERTIES = Pattern.compile(
            "@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"(vla(?:\\.[a-z-]+)*)\"\\s*\\)");
    private static final Pattern RECORD = Pattern.compile("\\brecord\\s+(\\w+)\\s*\\(");
    private static final String STRING = "\"(?:[^\"\\\\]|\\\\.)*\"";
    private static final Pattern ANNOTATION = Pattern.compile("@[\\w.]+(\\s*\\((?:" + STRING + "|[^()\"])*\\))?");
    private static final Pattern LITERAL_DEFAULT = Pattern.compile("@DefaultValue\\(\\s*(" + STRING + ")\\s*\\)");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(vla\\.[^`]+)`\\s*\\|([^|]*)\\|([^|]*)\\|");

    /** A setting found in code: where it is declared and its literal default, if any. */
    record Setting(String declaredIn, Optional<String> literalDefault) {
    }

    /** A row of the table. */
    record Row(String variable, String defaultCell) {
    }

    @Test
    void theTableListsEverySettingInCodeAndNothingElse() throws IOException {
        Map<String, Setting> inCode = settingsInCode();
        Map<String, Row> documented = rows(ROOT.resolve("docs/configuration.md"));

        List<String> wrongVariable = new ArrayList<>();
        List<String> wrongDefault = new ArrayList<>();
        documented.forEach((property, row) -> {
            String variable = property.toUpperCase().replace('.', '_').replace('-', '_');
            if (!row.variable().equals("`" + variable + "`")) {
                wrongVariable.add(property + ": " + row.variable() + " instead of `" + variable + "`");
            }
            Setting setting = inCode.get(property);
            if (setting != null && setting.literalDefault().isPresent()
                    && !row.defaultCell().contains("`" + setting.literalDefault().get() + "`")) {
                wrongDefault.add(property + ": the record's default is `" + setting.literalDefault().get()
                        + "`, the table says " + row.defaultCell().strip());
            }
        });
        TreeSet<String> undocumented = new TreeSet<>(inCode.keySet());
        undocumented.removeAll(documented.keySet());
        TreeSet<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(inCode.keySet());
        assertAll(
                () -> assertEquals(List.of(), undocumented.stream().map(p -> p + " (" + inCode.get(p).declaredIn() + ")").toList(),
                        "settings in code without a row in docs/configuration.md"),
                () -> assertEquals(List.of(), List.copyOf(unknown), "rows in docs/configuration.md that no record declares"),
                () -> assertEquals(List.of(), wrongVariable, "rows whose variable is not the property's relaxed name"),
                () -> assertEquals(List.of(), wrongDefault, "rows whose default is not the record's"));
    }

    /** Guards the parser: it must see settings of every kind, or the test above proves nothing. */
    @Test
    void findsTopLevelNestedAndFleetWideSettings() throws IOException {
        Map<String, Setting> inCode = settingsInCode();

        for (String property : List.of("vla.gateway.port", "vla.internal-token", "vla.db.url",
                "vla.customer.tiers.enterprise.monthly-quota", "vla.model.batching.max-batch-size",
                "vla.billing.pricing.pro.per-request", "vla.inference.usage-relay.batch-size")) {
            assertTrue(inCode.containsKey(property), property + " in " + inCode.keySet());
        }
        assertEquals(Optional.of("8080"), inCode.get("vla.gateway.port").literalDefault());
    }

    private static Map<String, Setting> settingsInCode() throws IOException {
        Map<String, List<Path>> recordFiles = new TreeMap<>();
        List<Path> sources = sources();
        for (Path file : sources) {
            Matcher record = RECORD.matcher(Files.readString(file));
            while (record.find()) {
                recordFiles.computeIfAbsent(record.group(1), name -> new ArrayList<>()).add(file);
            }
        }
        Map<String, Setting> settings = new TreeMap<>();
        for (Path file : sources) {
            String source = Files.readString(file);
            Matcher annotation = CONFIGURATION_PROPERTIES.matcher(source);
            while (annotation.find()) {
                Matcher record = RECORD.matcher(source);
                if (record.find(annotation.end())) {
                    addComponents(annotation.group(1), file, source, record.end(), recordFiles, settings);
                }
            }
        }
        return settings;
    }

    /** The components of the record whose header starts at {@code headerStart}, nested records recursively. */
    private static void addComponents(String prefix, Path file, String source, int headerStart,
                                      Map<String, List<Path>> recordFiles, Map<String, Setting> settings) throws IOException {
        for (String component : splitTopLevel(header(source, headerStart))) {
            Matcher literal = LITERAL_DEFAULT.matcher(component);
            Optional<String> literalDefault = literal.find()
                    ? Optional.of(literal.group(1).substring(1, literal.group(1).length() - 1)) : Optional.empty();
            String[] typeAndName = ANNOTATION.matcher(component).replaceAll(" ").strip().split("\\s+");
            if (typeAndName.length < 2) {
                throw new AssertionError("cannot read the record component '" + component + "' in " + file);
            }
            String type = typeAndName[typeAndName.length - 2];
            String property = prefix + "." + kebab(typeAndName[typeAndName.length - 1]);
            Optional<Path> nested = recordFile(type.substring(type.lastIndexOf('.') + 1), file, recordFiles);
            if (nested.isPresent()) {
                String nestedSource = Files.readString(nested.get());
                Matcher record = Pattern.compile("\\brecord\\s+" + type.substring(type.lastIndexOf('.') + 1)
                        + "\\s*\\(").matcher(nestedSource);
                record.find();
                addComponents(property, nested.get(), nestedSource, record.end(), recordFiles, settings);
            } else {
                settings.put(property, new Setting(ROOT.relativize(file).toString(), literalDefault));
            }
        }
    }

    /** A record named {@code type} in the same file, else in the same module (settings never nest across modules). */
    private static Optional<Path> recordFile(String type, Path from, Map<String, List<Path>> recordFiles) {
        List<Path> candidates = recordFiles.getOrDefault(type, List.of());
        Path module = ROOT.relativize(from).getName(0);
        return candidates.stream().filter(from::equals).findFirst()
                .or(() -> candidates.stream().filter(c -> ROOT.relativize(c).getName(0).equals(module)).findFirst());
    }

    /** From just after the record header's opening parenthesis to its closing one, without comments. */
    private static String header(String source, int start) {
        StringBuilder header = new StringBuilder();
        int depth = 1;
        for (int i = start; ; i++) {
            char c = source.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (source.charAt(end) != '"' || source.charAt(end - 1) == '\\') {
                    end++;
                }
                header.append(source, i, end + 1);
                i = end;
            } else if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                i = source.indexOf("*/", i) + 1;
            } else {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (depth == 0) {
                    return header.toString();
                }
                header.append(c);
            }
        }
    }

    /** Components are separated by the commas outside generics, annotation arguments and strings. */
    private static List<String> splitTopLevel(String header) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int start = 0;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"' && (i == 0 || header.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && (c == '<' || c == '(')) {
                depth++;
            } else if (!inString && (c == '>' || c == ')')) {
                depth--;
            } else if (!inString && depth == 0 && c == ',') {
                parts.add(header.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(header.substring(start));
        return parts.stream().filter(p -> !p.isBlank()).toList();
    }

    private static String kebab(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static Map<String, Row> rows(Path table) throws IOException {
        Map<String, Row> rows = new TreeMap<>();
        for (String line : Files.readAllLines(table)) {
            Matcher row = ROW.matcher(line);
            if (row.find() && rows.put(row.group(1), new Row(row.group(2).strip(), row.group(3))) != null) {
                throw new AssertionError(row.group(1) + " has two rows in " + table);
            }
        }
        return rows;
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(sources -> RepositoryFiles.under(sources, ".java").stream()).sorted().toList();
        }
    }
}
