export default {
  port: 3000,
  googleAccessToken: "ya29.a0kbISaY3H2sOumOeKtcGdOn4P8QyxoTJL750l8Ozf0EdTMd14yRBGsvZCDwO5DJob1EoKSMThYKCu8yy_MZkAHoMKMHqO1AhJ-kOaa_S6B0k1XuZoHEKOlcQ0i6B4wgI74f61kVKsfMAETxjUUfZ2Tl",
  cors: true,
};
