package com.vlaapi.testsupport.settings;

import java.util.Map;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** A module's settings bound the way its service binds them: for tests of their defaults and overrides. */
public final class SettingsContext {

    private SettingsContext() {
    }

    /** A context that loads application.yml like the real service does, with {@code configuration}'s beans. */
    public static ApplicationContextRunner withApplicationYml(Class<?> configuration) {
        return new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withUserConfiguration(configuration);
    }

    /**
     * Makes {@code variables} the environment variables the context sees, in place of the machine's:
     * the way an operator sets the services, checked without touching the test JVM's environment.
     */
    public static ApplicationContextInitializer<ConfigurableApplicationContext> environmentVariables(
            Map<String, Object> variables) {
        return context -> context.getEnvironment().getPropertySources().replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    }
}
