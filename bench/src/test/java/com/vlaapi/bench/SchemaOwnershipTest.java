package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each schema is read and written only by the service that owns it; another service may name only
 * the views its owner publishes as its read model. Checked on the services' main code, SQL in Java
 * and in migrations alike (tests play the owners when they set up fixtures).
 */
class SchemaOwnershipTest {

    private static final Map<String, Set<String>> OWNED = Map.of(
            "customer-service", Set.of("customer"),
            "inference-service", Set.of("inference"),
            "billing-service", Set.of("billing", "reporting"),
            "gateway-service", Set.of());
    private static final Set<String> PUBLISHED = Set.of(
            "customer.customers_v1", "customer.robot_profiles_v1", "inference.request_log_v1", "inference.usage_in_transit_v1",
            "inference.request_journals_v1");
    // A schema-qualified name: not part of a longer dotted name (com.vlaapi.inference.usage) and
    // not a method call (customer.tier()).
    private static final Pattern QUALIFIED =
            Pattern.compile("(?<![\\w.])(customer|inference|billing|reporting)\\.(\\w++)(?![.(])");
    // Comments name tables to explain; only code touches them.
    private static final Pattern COMMENT = Pattern.compile("^\\s*(//|/?\\*|--).*|--.*$");

    @Test
    void servicesTouchOtherSchemasOnlyThroughPublishedReadModels() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> service : OWNED.entrySet()) {
            for (Path file : RepositoryFiles.under(ROOT.resolve(service.getKey()).resolve("src/main"), ".java", ".sql")) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher name = QUALIFIED.matcher(COMMENT.matcher(lines.get(i)).replaceAll(""));
                    while (name.find()) {
                        String schema = name.group(1);
                        String qualified = schema + "." + name.group(2);
                        if (!service.getValue().contains(schema) && !PUBLISHED.contains(qualified)) {
                            violations.add(ROOT.relativize(file) + ":" + (i + 1) + " " + qualified);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "names of other services' private tables");
    }

    @Test
    void thePublishedReadModelsExistInTheirOwnersMigrations() throws IOException {
        for (String view : PUBLISHED) {
            String schema = view.substring(0, view.indexOf('.'));
            String owner = schema + "-service";
            Path migrations = ROOT.resolve(owner).resolve("src/main/resources/db/migration");
            boolean created = false;
            for (Path migration : RepositoryFiles.under(migrations, ".sql")) {
                created |= Files.readString(migration).contains("CREATE VIEW " + view.substring(schema.length() + 1) + " ");
            }
            assertTrue(created, owner + " creates " + view + " in its own migrations");
        }
    }
}
