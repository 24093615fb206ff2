package com.vlaapi.bench.docs;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The customers' reference (docs/VLA-API-README.md, "Errors") names exactly the codes the code can
 * answer on the public API: each code of {@link PublicErrorCode} under its status and type, the
 * two the web stack answers for other paths and methods, and the models' contract's 404.
 */
class ReferenceErrorCodesTest {

    /** A table row: | status | types | codes | retry advice |. */
    private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\d{3}) \\| ([^|]+) \\| ([^|]+) \\|");
    private static final Pattern BACKTICKED = Pattern.compile("`([a-z][a-z0-9_]*)`");

    @Test
    void theReferenceListsEveryPublicErrorCodeUnderItsStatusAndType() throws Exception {
        String reference = Files.readString(ROOT.resolve("docs/VLA-API-README.md"));
        String errors = reference.substring(reference.indexOf("\n## Errors"), reference.indexOf("\n## ", reference.indexOf("\n## Errors") + 1));
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(errors);
        while (row.find()) {
            Set<String> types = backticked(row.group(2));
            for (String code : backticked(row.group(3))) {
                types.forEach(type -> documented.add(row.group(1) + " " + type + " " + code));
            }
        }
        Set<String> answered = Arrays.stream(PublicErrorCode.values())
                .map(code -> code.status().value() + " " + code.type().id() + " " + code.id())
                .collect(Collectors.toCollection(TreeSet::new));
        answered.add("404 not_found_error " + ApiError.ROUTE_NOT_FOUND);
        answered.add("405 invalid_request_error " + ApiError.METHOD_NOT_ALLOWED);
        // GET /v1/models/{id} for a model not served (inference-service's contract/ModelContracts).
        answered.add("404 not_found_error unknown_model");

        assertTrue(documented.size() > 30, "the Errors table was read: " + documented);
        assertEquals(answered, documented);
    }

    private static Set<String> backticked(String cell) {
        return BACKTICKED.matcher(cell).results().map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }
}
