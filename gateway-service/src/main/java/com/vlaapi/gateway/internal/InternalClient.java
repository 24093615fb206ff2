package com.vlaapi.gateway.internal;

import com.vlaapi.servicecontract.ServiceHeaders;
import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The one WebClient for the gateway's calls to other services (key lookups and last uses to
 * customer-service, usage counts from inference-service): it carries the internal token. A caller
 * derives its own base URL from it with {@code mutate()}.
 */
@Configuration(proxyBeanMethods = false)
public class InternalClient {

    @Bean
    WebClient internalWebClient(WebClient.Builder webClients, InternalTokenProperties token) {
        return webClients.defaultHeader(ServiceHeaders.INTERNAL_TOKEN, token.internalToken()).build();
    }
}
