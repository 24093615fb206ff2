package com.vlaapi.inference.support;

import com.vlaapi.inference.InferenceServiceApplication;
import com.vlaapi.testsupport.database.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * inference-service started by the test itself, on a free port, against a test database: for
 * tests that close the application (Spring's test-context cache must never see a context closed
 * under it) or need one of their own.
 */
public final class StandaloneApplication {

    private StandaloneApplication() {
    }

    /** {@code settings} are extra {@code --name=value} arguments. */
    public static ConfigurableApplicationContext start(TestDatabase database, String... settings) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--vla.internal-token=" + Gateway.TOKEN,
                "--vla.db.url=" + database.url(),
                "--vla.db.user=" + database.user(),
                "--vla.db.password=" + database.password()));
        arguments.addAll(List.of(settings));
        return new SpringApplicationBuilder(InferenceServiceApplication.class).run(arguments.toArray(String[]::new));
    }
}
