package com.vlaapi.servicecontract.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.servicecontract.InternalToken;
import com.vlaapi.servicecontract.error.ApiError;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class AccessTokensTest {

    private static final Set<String> GATEWAY_ONLY = Set.of(InternalToken.GATEWAY);

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
            assertThat(tokens.internal().check("internal-secret", GATEWAY_ONLY)).isEmpty();
            assertThat(tokens.internal().check("admin-secret", GATEWAY_ONLY).orElseThrow().code())
                    .isEqualTo("invalid_internal_token");
            assertThat(tokens.internal().check(null, GATEWAY_ONLY).orElseThrow().code()).isEqualTo("missing_internal_token");
            assertThat(tokens.toString()).doesNotContain("secret");
        });
    }

    @Test
    void withACredentialPerCallerAnEndpointServesOnlyItsCallers() {
        context.withPropertyValues("vla.admin-token=admin-secret", "vla.internal-token=own-secret",
                "vla.callers.gateway=gateway-secret", "vla.callers.inference=inference-secret").run(started -> {
            InternalToken internal = started.getBean(AccessTokens.class).internal();

            assertThat(internal.check("gateway-secret", GATEWAY_ONLY)).isEmpty();
            ApiError forged = internal.check("inference-secret", GATEWAY_ONLY).orElseThrow();
            assertThat(forged.status().value()).isEqualTo(403);
            assertThat(forged.code()).isEqualTo("caller_not_allowed");
            assertThat(internal.check("own-secret", GATEWAY_ONLY).orElseThrow().code())
                    .as("the shared token stops working once callers have their own").isEqualTo("invalid_internal_token");
            assertThat(started.getBean(AccessTokens.class).toString()).doesNotContain("secret");
        });
    }
}
