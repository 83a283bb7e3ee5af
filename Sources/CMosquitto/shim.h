#ifndef CAMPUSGUARD_CMOSQUITTO_SHIM_H
#define CAMPUSGUARD_CMOSQUITTO_SHIM_H

#include <stdbool.h>
#include <mosquitto.h>

#endif
