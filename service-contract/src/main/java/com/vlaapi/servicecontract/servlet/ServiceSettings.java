package com.vlaapi.servicecontract.servlet;

import java.net.InetAddress;
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
}
