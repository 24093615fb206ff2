package com.vlaapi.gateway;

import com.vlaapi.servicecontract.settings.InternalTokenProperties;
import com.vlaapi.servicecontract.settings.ListenAddress;
import com.vlaapi.servicecontract.settings.RedisProperties;
import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties({InternalTokenProperties.class, RedisProperties.class})
public class GatewayServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayServiceApplication.class, args);
    }

    @Bean
    ListenAddress listenAddress(GatewayProperties properties) {
        return new ListenAddress(properties.port(), properties.address());
    }

    /**
     * Quota months and key expiry are UTC; a bean so tests can pin "now" to a month's edge, or give
     * a gateway they start a clock of their own.
     */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
