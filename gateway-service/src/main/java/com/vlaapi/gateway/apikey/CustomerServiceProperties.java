package com.vlaapi.gateway.apikey;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param url where the gateway resolves API keys and reports their use ({@code vla.customer.url}) */
@ConfigurationProperties("vla.customer")
public record CustomerServiceProperties(@DefaultValue("http://127.0.0.1:8082") URI url) {
}
