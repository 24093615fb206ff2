package com.vlaapi.gateway.openpi;

import com.vlaapi.gateway.session.Observations;
import com.vlaapi.gateway.session.SessionConnection;
import com.vlaapi.gateway.session.SessionEndpoints;
import com.vlaapi.gateway.session.SessionHandshake;
import com.vlaapi.gateway.session.SessionProperties;
import java.time.Clock;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketSession;

/** The sessions of {@code /v1/openpi} (SessionEndpoints maps the path and opens them). */
@Component
class OpenpiEndpoint implements SessionEndpoints.OpenpiSessions {

    private final SessionProperties properties;
    private final Observations observations;
    private final Clock clock;

    OpenpiEndpoint(SessionProperties properties, Observations observations, Clock clock) {
        this.properties = properties;
        this.observations = observations;
        this.clock = clock;
    }

    @Override
    public SessionConnection open(WebSocketSession socket, SessionHandshake.Opening opening) {
        return new OpenpiSession(socket, opening, properties, observations, clock);
    }
}
