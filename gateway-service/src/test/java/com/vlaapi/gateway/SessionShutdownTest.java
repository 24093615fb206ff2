package com.vlaapi.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A gateway that stops gracefully tells its open sessions 1001 Going Away. A class of its own: a
 * stopping gateway releases the Reactor Netty resources every gateway of the JVM shares.
 */
class SessionShutdownTest {

    private static final StandIns standIns = new StandIns();
    private static final ChunkUpstream upstream = new ChunkUpstream();

    @AfterAll
    static void stop() {
        upstream.close();
        standIns.close();
    }

    @Test
    void aGatewayThatStopsClosesItsSessionsWith1001() throws Exception {
        ConfigurableApplicationContext gateway = standIns.startGateway(Map.of("vla.inference.urls", upstream.url()));
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        try (TestSocket one = TestSocket.open(port, "/v1/sessions", "Bearer " + key);
             TestSocket two = TestSocket.open(port, "/v1/openpi", "Api-Key " + key)) {
            one.nextText();
            two.nextBinary();
            standIns.deleteKeys(gateway.getBean(StringRedisTemplate.class));
            gateway.close();
            assertEquals(1001, one.awaitClose().code());
            assertEquals(1001, two.awaitClose().code());
        } finally {
            gateway.close();
        }
    }
}
