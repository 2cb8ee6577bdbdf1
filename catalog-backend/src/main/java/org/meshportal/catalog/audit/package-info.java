/** The audit trail: one JSON line per sign-in, write, denied request and task action. */
package org.meshportal.catalog.audit;
