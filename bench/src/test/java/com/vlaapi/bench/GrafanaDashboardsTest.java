package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * grafana/ as Grafana would load it (Grafana itself cannot be installed here): dashboards whose
 * panels all say what they show, in which unit, from a data source the provisioning defines.
 * MonitoringIT runs every query they hold against the real fleet.
 */
class GrafanaDashboardsTest {

    private static final GrafanaDashboards DASHBOARDS = GrafanaDashboards.read(ROOT.resolve("grafana/dashboards"));

    @Test
    void theThreeDashboardsAreThere() {
        Set<String> uids = new HashSet<>();
        for (GrafanaDashboards.Dashboard dashboard : DASHBOARDS.dashboards()) {
            assertTrue(uids.add(dashboard.json().path("uid").asString()), "uid used twice: " + dashboard.file());
            assertTrue(!dashboard.json().path("title").asString().isBlank(), dashboard.file() + " has no title");
        }
        assertEquals(Set.of("vla-operations", "vla-business", "vla-slo"), uids);
    }

    @Test
    void everyPanelSaysWhatItShowsInWhichUnitFromAProvisionedDataSource() throws IOException {
        Map<String, String> provisioned = provisionedDataSources();
        List<String> problems = new ArrayList<>();
        for (GrafanaDashboards.Dashboard dashboard : DASHBOARDS.dashboards()) {
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.panels()) {
                String where = dashboard.file() + " panel " + panel.path("id") + " '" + panel.path("title").asString() + "'";
                if (!ids.add(panel.path("id").asInt(-1)) || panel.path("id").asInt(-1) < 1) {
                    problems.add(where + ": id missing or used twice");
                }
                for (String field : List.of("title", "description", "type")) {
                    if (panel.path(field).asString("").isBlank()) {
                        problems.add(where + ": no " + field);
                    }
                }
                if (panel.path("fieldConfig").path("defaults").path("unit").asString("").isBlank()) {
                    problems.add(where + ": no unit");
                }
                if (!panel.has("gridPos")) {
                    problems.add(where + ": no position");
                }
                String uid = panel.path("datasource").path("uid").asString("");
                String type = panel.path("datasource").path("type").asString("");
                if (!type.equals(provisioned.get(uid))) {
                    problems.add(where + ": data source " + uid + " (" + type + ") is not provisioned as such: " + provisioned);
                }
                if (panel.path("targets").isEmpty()) {
                    problems.add(where + ": no query");
                }
                for (JsonNode target : panel.path("targets")) {
                    String query = uid.equals(GrafanaDashboards.PROMETHEUS_UID) ? "expr" : "rawSql";
                    if (target.path(query).asString("").isBlank()) {
                        problems.add(where + " target " + target.path("refId").asString() + ": no " + query);
                    }
                    if (!target.path("datasource").path("uid").asString(uid).equals(uid)) {
                        problems.add(where + " target " + target.path("refId").asString() + ": another data source");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** uid to type, as grafana/provisioning/datasources defines them. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> provisionedDataSources() throws IOException {
        Map<String, String> byUid = new HashMap<>();
        try (var files = Files.list(ROOT.resolve("grafana/provisioning/datasources"))) {
            for (Path file : files.toList()) {
                Map<String, Object> content = new Yaml().load(Files.readString(file));
                for (Map<String, Object> source : (List<Map<String, Object>>) content.get("datasources")) {
                    byUid.put((String) source.get("uid"), (String) source.get("type"));
                }
            }
        }
        assertEquals(Set.of(GrafanaDashboards.PROMETHEUS_UID, GrafanaDashboards.POSTGRES_UID), byUid.keySet());
        return byUid;
    }
}
