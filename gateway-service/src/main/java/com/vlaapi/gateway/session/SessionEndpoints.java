package com.vlaapi.gateway.session;

import com.vlaapi.gateway.GatewayProperties;
import com.vlaapi.gateway.apikey.ApiKeyAuthenticator;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.WebHandler;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/sessions} and {@code GET /v1/openpi}, WebSocket sessions the gateway terminates
 * itself: mapped ahead of the route to inference-service, so the gateway's filters do not run for
 * them; SessionHandshake and Observations do what those filters do, with the same components.
 */
@Configuration(proxyBeanMethods = false)
public class SessionEndpoints {

    public static final String SESSIONS_PATH = "/v1/sessions";
    public static final String OPENPI_PATH = "/v1/openpi";
    /** The version of the /v1/sessions protocol the metadata message states; raised only for incompatible changes. */
    static final int PROTOCOL_VERSION = 1;

    /** The openpi endpoint's session, given what every session is made with. */
    public interface OpenpiSessions {
        SessionConnection open(WebSocketSession socket, SessionHandshake.Opening opening);
    }

    @Bean
    WebSocketService sessionUpgrades(GatewayProperties gateway) {
        int maxFrameBytes = maxFrameBytes(gateway);
        return new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(maxFrameBytes).compress(false)));
    }

    static int maxFrameBytes(GatewayProperties gateway) {
        return (int) Math.min(Integer.MAX_VALUE, gateway.maxBodyBytes().toBytes());
    }

    @Bean
    SimpleUrlHandlerMapping sessionEndpointMapping(ApiKeyAuthenticator authenticator, SessionRegistry registry,
                                                   SessionModels models, WebSocketService sessionUpgrades,
                                                   Observations observations, SessionProperties properties,
                                                   GatewayProperties gateway, JsonMapper json, Clock clock,
                                                   MeterRegistry meters, OpenpiSessions openpi) {
        Counter droppedObservations = Counter.builder("vla.gateway.sessions.observations.dropped")
                .description("Observations of WebSocket sessions dropped because a newer one arrived while they waited")
                .register(meters);
        SessionHandshake.Protocol sessions = new SessionHandshake.Protocol() {
            @Override
            public List<String> schemes() {
                return List.of(ApiKeyAuthenticator.BEARER);
            }

            @Override
            public Optional<ApiError> checkQuery(MultiValueMap<String, String> query) {
                return format(query) == null ? Optional.of(PublicErrorCode.INVALID_FIELD_VALUE.error(
                        "'format' is json (the default) or msgpack: the format of the metadata message.")) : Optional.empty();
            }

            @Override
            public SessionConnection open(WebSocketSession socket, SessionHandshake.Opening opening) {
                return new StreamingSession(socket, opening, properties,
                        opening.model(), metadata(opening, properties, gateway), format(opening.query()), observations,
                        json, clock, droppedObservations);
            }
        };
        SessionHandshake.Protocol openpiProtocol = new SessionHandshake.Protocol() {
            @Override
            public List<String> schemes() {
                // openpi's WebsocketClientPolicy sends its api_key as "Api-Key <key>".
                return List.of("Api-Key", ApiKeyAuthenticator.BEARER);
            }

            @Override
            public Optional<ApiError> checkQuery(MultiValueMap<String, String> query) {
                return Optional.empty();
            }

            @Override
            public SessionConnection open(WebSocketSession socket, SessionHandshake.Opening opening) {
                return openpi.open(socket, opening);
            }
        };
        Map<String, WebHandler> endpoints = new LinkedHashMap<>();
        endpoints.put(SESSIONS_PATH, new SessionHandshake(sessions, authenticator, registry, models, sessionUpgrades));
        endpoints.put(OPENPI_PATH, new SessionHandshake(openpiProtocol, authenticator, registry, models, sessionUpgrades));
        // Ahead of the API documents' router (-1) and the gateway's routes (1).
        return new SimpleUrlHandlerMapping(endpoints, Ordered.HIGHEST_PRECEDENCE + 100);
    }

    private static StreamingSession.Format format(MultiValueMap<String, String> query) {
        String format = query.getFirst("format");
        if (format == null || format.equals("json")) {
            return StreamingSession.Format.JSON;
        }
        return format.equals("msgpack") ? StreamingSession.Format.MSGPACK : null;
    }

    /** The first message of a /v1/sessions session. */
    private static ObjectNode metadata(SessionHandshake.Opening opening, SessionProperties properties,
                                       GatewayProperties gateway) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode metadata = nodes.objectNode();
        metadata.put("type", "metadata");
        metadata.put("protocol", PROTOCOL_VERSION);
        metadata.put("session_id", opening.sessionId());
        ObjectNode model = opening.model().summary().deepCopy();
        model.set("contract", opening.model().contract());
        metadata.set("model", model);
        ObjectNode limits = metadata.putObject("limits");
        limits.put("rate_limit_per_minute", opening.key().rateLimitPerMinute());
        limits.put("monthly_quota", opening.key().monthlyQuota());
        limits.put("metered", opening.key().metered());
        limits.put("max_frame_bytes", maxFrameBytes(gateway));
        limits.put("max_observations_in_flight", 1);
        ObjectNode heartbeat = metadata.putObject("heartbeat");
        heartbeat.put("interval_ms", properties.heartbeatInterval().toMillis());
        heartbeat.put("timeout_ms", properties.heartbeatTimeout().toMillis());
        return metadata;
    }
}
