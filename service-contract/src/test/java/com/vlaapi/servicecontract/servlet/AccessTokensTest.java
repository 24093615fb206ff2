package com.vlaapi.servicecontract.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class AccessTokensTest {

    @Configuration
    @EnableConfigurationProperties(AccessTokens.class)
    static class BindTokens {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(BindTokens.class);

    @Test
    void refusesToStartWithoutAnAdminToken() {
        context.withPropertyValues("vla.internal-token=internal-secret").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessageContaining("vla.admin-token is not configured")
                    .hasMessageContaining("VLA_ADMIN_TOKEN");
        });
    }

    @Test
    void refusesToStartWithoutAnInternalToken() {
        context.withPropertyValues("vla.admin-token=admin-secret", "vla.internal-token= ").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().hasMessageContaining("VLA_INTERNAL_TOKEN");
        });
    }

    @Test
    void acceptsOnlyTheExactTokens() {
        context.withPropertyValues("vla.admin-token=admin-secret", "vla.internal-token=internal-secret").run(started -> {
            AccessTokens tokens = started.getBean(AccessTokens.class);

            assertThat(tokens.isAdminToken("admin-secret")).isTrue();
            assertThat(tokens.isAdminToken("admin-secre")).isFalse();
            assertThat(tokens.isAdminToken("internal-secret")).isFalse();
            assertThat(tokens.isAdminToken(null)).isFalse();
            assertThat(tokens.internal().check("internal-secret")).isEmpty();
            assertThat(tokens.internal().check("admin-secret").orElseThrow().code()).isEqualTo("invalid_internal_token");
            assertThat(tokens.internal().check(null).orElseThrow().code()).isEqualTo("missing_internal_token");
            assertThat(tokens.toString()).doesNotContain("secret");
        });
    }
}
