/**
 * Backstage's permission framework with a policy in Red Hat Developer Hub's RBAC file formats: the
 * permissions and resource types of the catalog and the scaffolder, CSV roles and conditional
 * policies, decisions (ALLOW, DENY, CONDITIONAL) per caller, and the catalog and scaffolder rules
 * that turn a conditional decision into an index filter or a check of one resource.
 */
package org.meshportal.catalog.permission;
