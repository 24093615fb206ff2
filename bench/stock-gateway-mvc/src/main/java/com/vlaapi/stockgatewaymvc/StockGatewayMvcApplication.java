package com.vlaapi.stockgatewaymvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpComponentsClientHttpRequestFactoryBuilder;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud Gateway Server MVC as it comes, for {@code bin/vla bench gateway} to measure beside
 * gateway-service and the WebFlux stock gateway: no code of ours, one route the benchmark passes in
 * (README.md), and the upstream client sized like the WebFlux server's.
 */
@SpringBootApplication
public class StockGatewayMvcApplication {

    /**
     * Reactor Netty's default pool size, which the WebFlux gateways run with: Apache HttpClient's
     * default of 5 connections a route would queue the benchmark's 16 connections behind 5.
     */
    static final int UPSTREAM_CONNECTIONS = Math.max(Runtime.getRuntime().availableProcessors(), 8) * 2;

    public static void main(String[] args) {
        SpringApplication.run(StockGatewayMvcApplication.class, args);
    }

    /** Boot builds the gateway's client from this; no compression asked for, as the other paths ask none. */
    @Bean
    HttpComponentsClientHttpRequestFactoryBuilder upstreamClient() {
        return ClientHttpRequestFactoryBuilder.httpComponents()
                .withConnectionManagerCustomizer(pool -> pool.setMaxConnPerRoute(UPSTREAM_CONNECTIONS)
                        .setMaxConnTotal(UPSTREAM_CONNECTIONS))
                .withHttpClientCustomizer(client -> client.disableContentCompression());
    }
}
