package com.vlaapi.customer.portal.account;

import com.vlaapi.servicecontract.error.ApiException;
import org.springframework.http.HttpStatus;

/** Managing keys and users is for a customer's admins; viewers get 403. */
public final class Admins {

    private Admins() {
    }

    public static void require(PortalUser user) {
        if (!user.isAdmin()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "admin_only",
                    "Only your team's admins can do this; ask one of them.");
        }
    }
}
