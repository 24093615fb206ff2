package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.InferenceChannelFrames;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * Serves {@link InferenceChannel} at {@link InferenceChannelFrames#PATH}. Tomcat hands a frame over
 * in parts of at most {@link #PART_BYTES}; the channel gathers them up to its cap. A buffer the size
 * of the cap would be allocated whole for every channel the gateways open (one per gateway event loop).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class InferenceChannelConfiguration implements WebSocketConfigurer {

    static final int PART_BYTES = 64 * 1024;

    private final InferenceChannel channel;

    InferenceChannelConfiguration(InferenceChannel channel) {
        this.channel = channel;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(channel, InferenceChannelFrames.PATH);
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxBinaryMessageBufferSize(PART_BYTES);
        return container;
    }
}
