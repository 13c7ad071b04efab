/**
 * The operator console: {@link dev.postoffice.admin.AdminHandler} serves a JSON API and a web page
 * to find, inspect, replay and pause, behind authentication the host turns on explicitly; {@link
 * dev.postoffice.admin.AdminServer} binds it on the JDK HTTP server.
 */
package dev.postoffice.admin;
