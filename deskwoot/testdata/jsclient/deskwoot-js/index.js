"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Deskwoot = void 0;
var client_1 = require("./client");
Object.defineProperty(exports, "Deskwoot", { enumerable: true, get: function () { return client_1.Deskwoot; } });
