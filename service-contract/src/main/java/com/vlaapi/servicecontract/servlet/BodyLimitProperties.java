package com.vlaapi.servicecontract.servlet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param maxBodyBytes largest request body a service accepts ({@code vla.max-body-bytes}); bigger
 *                     ones get 413 {@code request_too_large} before they are buffered. 1 MB unless
 *                     a service needs more (inference-service takes camera images).
 */
@ConfigurationProperties("vla")
public record BodyLimitProperties(DataSize maxBodyBytes) {

    public BodyLimitProperties {
        if (maxBodyBytes == null) {
            maxBodyBytes = DataSize.ofMegabytes(1);
        }
    }
}
