package com.vlaapi.accesstokens;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Which token guards which part of a servlet service's API: {@code /admin/**} the operators'
 * token, {@code /internal/**} the one the gateway and the other services share. Actuator endpoints
 * stay open for scrapers and probes. A service imports this on its application class.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessTokens.class)
public class AccessTokensConfiguration implements WebMvcConfigurer {

    private final AccessTokens tokens;

    AccessTokensConfiguration(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminTokenInterceptor(tokens)).addPathPatterns("/admin/**");
        registry.addInterceptor(new InternalTokenInterceptor(tokens)).addPathPatterns("/internal/**");
    }
}
