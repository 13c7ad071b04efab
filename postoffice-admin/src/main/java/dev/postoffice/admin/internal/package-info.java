/**
 * The console's implementation: the API's endpoints, JSON views, request checks and static files.
 * No compatibility promise; nothing outside this module may use it.
 */
package dev.postoffice.admin.internal;
