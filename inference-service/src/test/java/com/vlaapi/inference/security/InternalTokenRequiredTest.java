package com.vlaapi.inference.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vlaapi.inference.InferenceServiceApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

class InternalTokenRequiredTest {

    /** Without the token anyone on the network could call the service as any customer. */
    @Test
    void theServiceRefusesToStartWithoutAnInternalToken() {
        Exception e = assertThrows(Exception.class, () -> new SpringApplicationBuilder(InferenceServiceApplication.class)
                .run("--server.port=0", "--vla.internal-token="));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root).hasMessageContaining("VLA_INTERNAL_TOKEN");
    }
}
