package com.vlaapi.billing.auth;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Which token guards which part of the API; actuator endpoints stay open for scrapers and probes. */
@Configuration
class TokenAuthenticationConfig implements WebMvcConfigurer {

    private final AccessTokens tokens;

    TokenAuthenticationConfig(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminTokenInterceptor(tokens)).addPathPatterns("/admin/**");
        registry.addInterceptor(new InternalTokenInterceptor(tokens)).addPathPatterns("/internal/**");
    }
}
