package com.vlaapi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The rules Prometheus loads from deploy/prometheus/rules: each recording and alerting rule with its expression. */
record PrometheusRules(List<Rule> rules) {

    /** {@code name} is the recorded series or the alert; {@code labels} and {@code annotations} are empty for a recording rule. */
    record Rule(String file, String name, boolean alert, String expr, Map<String, String> labels,
                Map<String, String> annotations) {
    }

    static PrometheusRules read(Path rulesDirectory) {
        List<Rule> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(rulesDirectory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                Map<String, List<Map<String, Object>>> content = new Yaml().load(Files.readString(file));
                for (Map<String, Object> group : content.get("groups")) {
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> groupRules = (List<Map<String, Object>>) group.get("rules");
                    for (Map<String, Object> rule : groupRules) {
                        boolean alert = rule.containsKey("alert");
                        rules.add(new Rule(file.getFileName().toString(), String.valueOf(rule.get(alert ? "alert" : "record")),
                                alert, String.valueOf(rule.get("expr")).strip(), strings(rule.get("labels")),
                                strings(rule.get("annotations"))));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PrometheusRules(List.copyOf(rules));
    }

    List<Rule> alerts() {
        return rules.stream().filter(Rule::alert).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> strings(Object map) {
        return map == null ? Map.of() : (Map<String, String>) map;
    }
}
