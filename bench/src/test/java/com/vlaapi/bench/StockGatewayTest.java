package com.vlaapi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

class StockGatewayTest {

    @ParameterizedTest
    @EnumSource(StockGateway.Server.class)
    void itsOneRouteTakesTheUpstreamsPathToTheUpstreamWithTheHeadersSet(StockGateway.Server server) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Internal-Token", "a token, with a comma");
        headers.put("X-Vla-Customer-Id", "c0ffee");

        JsonNode settings = StockGateway.settings(server, 23456, URI.create("http://127.0.0.1:8081/v1/inference"), headers);

        assertEquals(23456, settings.path("server").path("port").asInt());
        JsonNode servers = settings.path("spring").path("cloud").path("gateway").path("server");
        assertEquals(1, servers.size());
        JsonNode routes = servers.path(server == StockGateway.Server.WEBFLUX ? "webflux" : "webmvc").path("routes");
        assertEquals(1, routes.size());
        JsonNode route = routes.get(0);
        assertEquals("http://127.0.0.1:8081", route.path("uri").asString());
        assertEquals("Path=/v1/inference", route.path("predicates").get(0).asString());
        JsonNode filters = route.path("filters");
        assertEquals(2, filters.size());
        assertEquals("SetRequestHeader", filters.get(0).path("name").asString());
        assertEquals("X-Internal-Token", filters.get(0).path("args").path("name").asString());
        assertEquals("a token, with a comma", filters.get(0).path("args").path("value").asString());
        assertEquals("X-Vla-Customer-Id", filters.get(1).path("args").path("name").asString());
        assertEquals("c0ffee", filters.get(1).path("args").path("value").asString());
    }
}
