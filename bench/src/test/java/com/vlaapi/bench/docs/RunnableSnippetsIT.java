package com.vlaapi.bench.docs;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.FleetCustomer;
import com.vlaapi.bench.OperatorScript;
import com.vlaapi.bench.fleet.LocalFleet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shell snippet the documents mark {@code bash runnable} runs, from the repository's root,
 * against a local fleet: {@code VLA_API_URL} is its gateway and {@code VLA_API_KEY} a customer's key,
 * the two variables the documents tell readers to set. A snippet passes when it exits 0 and prints
 * no error body.
 */
class RunnableSnippetsIT {


    private static LocalFleet fleet;
    private static String apiKey;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LocalFleet(ROOT);
        fleet.start();
        apiKey = FleetCustomer.create(fleet, "Docs Robotics", "pro").apiKey();
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRunnableSnippetRuns() {
        List<MarkdownSnippets> runnable = MarkdownSnippets.documents(ROOT).stream()
                .flatMap(document -> MarkdownSnippets.in(document).stream())
                .filter(MarkdownSnippets::runnable).toList();
        assertTrue(runnable.size() >= 6, "the documents mark snippets runnable: found only " + runnable.size());
        return runnable.stream().map(snippet -> DynamicTest.dynamicTest(ROOT.relativize(snippet.file()) + ":" + snippet.line(), () -> {
            OperatorScript run = OperatorScript.run(Map.of(
                            "VLA_API_URL", fleet.url("gateway-service", "").toString().replaceAll("/$", ""),
                            "VLA_API_KEY", apiKey,
                            // The documents send readers to Debian's python3 and its packages (requests, numpy,
                            // PIL): a python3 of another installation earlier on the PATH has none of them.
                            "PATH", "/usr/bin:" + System.getenv("PATH")),
                    List.of("bash", "-c", "set -euo pipefail; cd \"$0\"; " + snippet.code(), ROOT.toString()));
            assertEquals(0, run.exitStatus(), snippet.where() + "\n" + snippet.code() + "\n" + run.output());
            assertFalse(run.output().contains("\"error\""), snippet.where() + " printed an error:\n" + run.output());
        }));
    }
}
