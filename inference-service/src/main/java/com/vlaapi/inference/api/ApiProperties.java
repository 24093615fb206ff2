package com.vlaapi.inference.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBodyBytes largest request body accepted; leaves room for a maximal image
 *                     ({@code vla.model.max-image-bytes}) after base64's 4/3 growth
 */
@ConfigurationProperties("vla")
public record ApiProperties(DataSize maxBodyBytes) {
}
