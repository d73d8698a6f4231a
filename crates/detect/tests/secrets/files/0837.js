export default {
  port: 3000,
  ocToken: "sha256~vD3dxg9L7Gi9J84tJGLNhqcxsxkeJdUOq-AgduPtgqM",
  cors: true,
};
