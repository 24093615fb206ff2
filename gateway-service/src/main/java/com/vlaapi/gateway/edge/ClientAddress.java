package com.vlaapi.gateway.edge;

import com.vlaapi.gateway.GatewayProperties;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who sent a request, as far as the gateway can tell: the peer's address, or, when the peer is one
 * of {@code vla.gateway.trusted-proxies} (a load balancer in front), the address that proxy put
 * last in {@code X-Forwarded-For}. Entries a client wrote itself come before it and are ignored.
 */
@Component
public class ClientAddress {

    private final List<InetAddress> trustedProxies;

    ClientAddress(GatewayProperties properties) {
        this.trustedProxies = List.copyOf(properties.trustedProxies());
    }

    /** The client's address as text; "unknown" when the connection has none (never for TCP). */
    public String of(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null || remote.getAddress() == null) {
            return "unknown";
        }
        if (trustedProxies.contains(remote.getAddress())) {
            List<String> forwarded = exchange.getRequest().getHeaders().getValuesAsList("X-Forwarded-For");
            if (!forwarded.isEmpty()) {
                return forwarded.get(forwarded.size() - 1).trim();
            }
        }
        return remote.getAddress().getHostAddress();
    }
}
