package com.vlaapi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** grafana/dashboards as Grafana loads them: each dashboard, and each panel's queries. */
record GrafanaDashboards(List<Dashboard> dashboards) {

    static final String PROMETHEUS_UID = "vla-prometheus";
    static final String POSTGRES_UID = "vla-postgres";

    record Dashboard(String file, JsonNode json) {

        List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            json.path("panels").forEach(panels::add);
            return panels;
        }
    }

    /** One target of a panel: PromQL for the Prometheus data source, SQL for PostgreSQL. */
    record Query(String dashboard, String panel, String dataSourceUid, String text) {
    }

    static GrafanaDashboards read(Path directory) {
        JsonMapper json = JsonMapper.builder().build();
        List<Dashboard> dashboards = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                dashboards.add(new Dashboard(file.getFileName().toString(), json.readTree(Files.readString(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GrafanaDashboards(List.copyOf(dashboards));
    }

    List<Query> queries(String dataSourceUid) {
        List<Query> queries = new ArrayList<>();
        for (Dashboard dashboard : dashboards) {
            for (JsonNode panel : dashboard.panels()) {
                for (JsonNode target : panel.path("targets")) {
                    String uid = target.path("datasource").path("uid").asString(panel.path("datasource").path("uid").asString());
                    if (uid.equals(dataSourceUid)) {
                        String text = uid.equals(PROMETHEUS_UID) ? target.path("expr").asString() : target.path("rawSql").asString();
                        queries.add(new Query(dashboard.file(), panel.path("title").asString(), uid, text));
                    }
                }
            }
        }
        return queries;
    }
}
