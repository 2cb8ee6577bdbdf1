/**
 * Several server processes on one shared store: which replica leads (runs Git sync and scheduled
 * processing) and how every replica keeps its catalog memory and index current from the store's
 * change log. Knows neither HTTP nor JDBC: the store and the engine do the work.
 */
package org.meshportal.catalog.replicas;
