package com.vlaapi.inference.usage;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** @param url where the usage relay delivers billable requests ({@code vla.billing.url}) */
@ConfigurationProperties("vla.billing")
public record BillingServiceProperties(@DefaultValue("http://127.0.0.1:8083") URI url) {
}
