package com.vlaapi.servicecontract.servlet;

import java.net.InetAddress;
import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * What the contract takes from a servlet service's own record ({@code vla.<service>.*}), which
 * implements this.
 */
public interface ServiceSettings {

    /** The port it listens on. */
    int port();

    /** The address it listens on. */
    InetAddress address();

    /** Largest request body it accepts; bigger ones get 413 {@code request_too_large} before they are buffered. */
    DataSize maxBodyBytes();

    /** Longest pause while a request arrives; a client that stalls longer is cut off. */
    Duration readTimeout();

    /** How long a kept-alive connection may wait for its next request before it is closed. */
    Duration idleTimeout();
}
