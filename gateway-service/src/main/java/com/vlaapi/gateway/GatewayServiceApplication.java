package com.vlaapi.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import com.vlaapi.servicecontract.settings.RedisProperties;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import java.time.Clock;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableConfigurationProperties(RedisProperties.class)
public class GatewayServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayServiceApplication.class, args);
    }

    /** Quota months and key expiry are UTC; a bean so tests can pin "now" to a month's edge. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
