package com.vlaapi.servicecontract.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * docker-compose.yml starts Redis with a password (FleetDefinitionTest checks the file): here a real
 * Redis that requires one refuses a client without it, and the services' connection, configured by
 * {@code vla.redis.*}, gets in, with the password alone or as an ACL user of its own.
 */
class RedisPasswordTest {

    private static final String PASSWORD = UUID.randomUUID().toString();
    private static final RedisClient client = RedisClient.create();
    private static Process redis;
    private static int port;

    @Configuration
    @EnableConfigurationProperties(RedisProperties.class)
    static class ConnectAsAService {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(ConnectAsAService.class)
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

    @BeforeAll
    static void startRedisWithAPassword() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--requirepass", PASSWORD)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (StatefulRedisConnection<String, String> admin = connect("default", PASSWORD)) {
                return admin.sync().ping().equals("PONG");
            }
        });
    }

    @AfterAll
    static void stopRedis() {
        client.shutdown();
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    /**
     * Over a bare socket: Lettuce, refused in its handshake, reports the refusal or, when Redis
     * answered faster than its handler registered, only "RedisHandshakeHandler not registered".
     */
    @Test
    void aClientWithoutThePasswordIsRefused() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write("*2\r\n$3\r\nGET\r\n$13\r\nvla:anything1\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();

            assertThat(reply).startsWith("-NOAUTH");
        }
    }

    @Test
    void theServicesConnectWithThePassword() {
        context.withPropertyValues("vla.redis.port=" + port, "vla.redis.password=" + PASSWORD).run(started -> {
            StringRedisTemplate template = started.getBean(StringRedisTemplate.class);
            template.opsForValue().set("vla:password-test", "ok");

            assertThat(template.opsForValue().get("vla:password-test")).isEqualTo("ok");
        });
    }

    @Test
    void aServiceCanHaveAnAclUserOfItsOwn() {
        try (StatefulRedisConnection<String, String> admin = connect("default", PASSWORD)) {
            admin.sync().aclSetuser("gateway", AclSetuserArgs.Builder.on()
                    .addPassword("gateway-secret").keyPattern("vla:*").addCommand(CommandType.GET)
                    .addCommand(CommandType.SET).addCommand(CommandType.PING));
        }
        context.withPropertyValues("vla.redis.port=" + port, "vla.redis.username=gateway",
                "vla.redis.password=gateway-secret").run(started -> {
            StringRedisTemplate template = started.getBean(StringRedisTemplate.class);
            template.opsForValue().set("vla:acl-test", "ok");

            assertThat(template.opsForValue().get("vla:acl-test")).isEqualTo("ok");
            assertThatThrownBy(() -> template.opsForValue().get("other:key")).hasStackTraceContaining("NOPERM");
        });
        context.withPropertyValues("vla.redis.port=" + port, "vla.redis.username=gateway",
                "vla.redis.password=wrong").run(started ->
                assertThatThrownBy(() -> started.getBean(StringRedisTemplate.class).opsForValue().get("vla:acl-test"))
                        .hasStackTraceContaining("WRONGPASS"));
    }

    private static StatefulRedisConnection<String, String> connect(String user, String password) {
        return client.connect(RedisURI.builder().withHost("127.0.0.1").withPort(port).withAuthentication(user, password).build());
    }
}
