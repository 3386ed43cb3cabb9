// The folder-level view of .dependency-cruiser.cjs: no two folders may import each other, however
// indirectly (the "13 of 19 domain folders in one cycle" was such a cycle). Tests are left
// out here because a test may use any layer; the main config still holds them to no-circular.
module.exports = {
  extends: "./.dependency-cruiser.cjs",
  forbidden: [
    {
      name: "no-folder-cycle",
      comment: "Two folders depend on each other (possibly through others): move the shared part down a layer.",
      scope: "folder",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    exclude: {
      path: "^(node_modules|\\.next|\\.data|testenv|tests|e2e)/|\\.(int|live)?\\.?test\\.tsx?$|/(live-)?test-support\\.ts$|/testing/",
    },
  },
};
