package com.vlaapi.inference.api;

import com.vlaapi.inference.InferenceProperties;
import com.vlaapi.servicecontract.InferenceChannelFrames;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** Serves {@link InferenceChannel} at {@link InferenceChannelFrames#PATH}, its frames capped like a request body. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class InferenceChannelConfiguration implements WebSocketConfigurer {

    /** Room for a frame's header line on top of the largest body. */
    private static final int HEADER_ROOM_BYTES = 256;

    private final InferenceChannel channel;

    InferenceChannelConfiguration(InferenceChannel channel) {
        this.channel = channel;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(channel, InferenceChannelFrames.PATH);
    }

    @Bean
    ServletServerContainerFactoryBean webSocketContainer(InferenceProperties properties) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxBinaryMessageBufferSize((int) Math.min(Integer.MAX_VALUE - HEADER_ROOM_BYTES,
                properties.maxBodyBytes().toBytes()) + HEADER_ROOM_BYTES);
        return container;
    }
}
