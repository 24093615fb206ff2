package com.vlaapi.customer.portal.account;

import com.vlaapi.servicecontract.LowerCaseId;

/** What a portal user may do: a viewer sees everything of their customer; an admin also manages keys and users. */
public enum PortalRole implements LowerCaseId {
    VIEWER,
    ADMIN;

    /** Null for anything but "viewer" or "admin". */
    static PortalRole parse(String id) {
        return LowerCaseId.fromId(PortalRole.class, id).orElse(null);
    }
}
